using System.Security.Cryptography;
using System.Text;

namespace HallMonitor.Grains;

/// <summary>
/// The tokens of the configuration's <c>auth</c> section, kept as SHA-256 digests. A presented token is hashed and
/// compared with every configured digest in constant time, so neither the comparison nor the position of a match
/// tells anything about the configured tokens.
/// </summary>
public sealed class AccessTokens
{
    private readonly (byte[] Digest, TokenDefinition Token)[] _tokens;

    public AccessTokens(AuthDefinition auth)
    {
        _tokens = [.. (auth.Tokens ?? []).Select(t => (Convert.FromHexString(t.Sha256), t))];
    }

    /// <summary>The configured token, or null when <paramref name="token"/> is not one of them.</summary>
    public TokenDefinition? Find(ReadOnlySpan<char> token)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Digest(token, digest);
        TokenDefinition? found = null;
        foreach (var (configured, definition) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(configured, digest))
            {
                found = definition;
            }
        }

        return found;
    }

    /// <summary>The hex SHA-256 of a token, as the configuration file stores it.</summary>
    public static string Hash(string token)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Digest(token, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>A new random token: 32 bytes from the system's cryptographic generator, base64url.</summary>
    public static string Create() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void Digest(ReadOnlySpan<char> token, Span<byte> digest)
    {
        var bytes = Encoding.UTF8.GetBytes(token.ToArray());
        SHA256.HashData(bytes, digest);
        CryptographicOperations.ZeroMemory(bytes);
    }
}
