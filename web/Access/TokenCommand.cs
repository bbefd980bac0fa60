using System.Text.Encodings.Web;
using System.Text.Json;
using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>
/// <c>dotnet run --project web -- new-token --role clerk --name 张三 --hall xinqu --window 01</c>: prints a new random
/// token once, and the entry for the halls file's <c>auth.tokens</c> that holds only its SHA-256.
/// </summary>
public static class TokenCommand
{
    public const string Name = "new-token";

    /// <summary>Chinese names as written, not as \u escapes: the entry is for a person to paste and read.</summary>
    private static readonly JsonSerializerOptions Readable = new(HallMonitorJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs the command; answers the process exit code (2 for bad arguments, with the reason on <paramref name="error"/>).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                error.WriteLine($"usage: {Name} --role <{string.Join("|", Roles.All)}> --name <who holds it> [--hall <hall id>] [--window <window id>]");
                return 2;
            }

            options[args[i][2..]] = args[i + 1];
        }

        var token = AccessTokens.Create();
        var definition = new TokenDefinition
        {
            Sha256 = AccessTokens.Hash(token),
            Role = options.GetValueOrDefault("role") ?? "",
            Name = options.GetValueOrDefault("name"),
            Hall = options.GetValueOrDefault("hall"),
            Window = options.GetValueOrDefault("window"),
        };

        // The same checks the server makes at start-up, against a stand-in hall with the named window.
        var hall = new HallDefinition
        {
            Id = definition.Hall ?? "any",
            Name = "any",
            Matters = [new MatterDefinition { Code = "ANY", Name = "any", Category = "any", Prefix = "A", WaitTargetSeconds = 60, HandleTargetSeconds = 60 }],
            Windows = [new WindowDefinition { Id = definition.Window ?? "01", Name = "any", Kind = WindowKind.Comprehensive, Matters = ["*"] }],
        };
        var problems = HallsFileValidator.Validate(new HallsFile { Halls = [hall], Auth = new AuthDefinition { Tokens = [definition] } });
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                error.WriteLine(problem);
            }

            return 2;
        }

        var entry = JsonSerializer.Serialize(definition, Readable);
        output.WriteLine($"Token for {definition.Name} ({definition.Role}); hand it over now, it is not stored anywhere:");
        output.WriteLine($"  {token}");
        output.WriteLine("Add this entry to \"auth\": { \"tokens\": [...] } in the halls file (it holds only the SHA-256):");
        output.WriteLine($"  {entry}");
        return 0;
    }
}
