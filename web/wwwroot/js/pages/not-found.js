// The friendly not-found page: says what was asked for and leads back to the list of halls.
import { localizePage, mountLangSwitch } from '../ui.js';

localizePage();
mountLangSwitch(document.getElementById('lang'));
document.getElementById('path').textContent = decodeURIComponent(location.pathname);
