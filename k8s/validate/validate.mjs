// Validates Kubernetes manifests against the Kubernetes API's OpenAPI schemas (kubernetes-models, generated from
// them): types, formats, enums and required fields. Unknown field names are the .NET test's part (the
// KubernetesClient models, strict), since these schemas allow extra properties.
//
//   node validate.mjs FILE...   (multi-document YAML; '-' reads stdin)
//
// Prints one JSON object: {"documents": [{file, index, apiVersion, kind, name}], "errors": [{file, index, kind,
// name, message}]}. Exits 0 when it could read everything, whether or not documents are valid.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const documents = [];
const errors = [];

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  let index = 0;
  for (const parsed of parseAllDocuments(text)) {
    const at = { file, index: index++ };
    if (parsed.errors.length > 0) {
      errors.push({ ...at, kind: null, name: null, message: parsed.errors.map((e) => e.message).join("; ") });
      continue;
    }

    const manifest = parsed.toJS();
    if (manifest === null) {
      continue;
    }

    const { apiVersion, kind } = manifest;
    const name = manifest.metadata?.name ?? null;
    documents.push({ ...at, apiVersion, kind, name });
    errors.push(...(await validate(manifest)).map((message) => ({ ...at, kind, name, message })));
  }
}

process.stdout.write(JSON.stringify({ documents, errors }));

async function validate(manifest) {
  const { apiVersion, kind } = manifest;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return ["apiVersion and kind must be strings"];
  }

  let model;
  try {
    model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    return [`no schema for ${apiVersion} ${kind}`];
  }

  try {
    new model(manifest).validate();
    return [];
  } catch (error) {
    return [error.message];
  }
}
