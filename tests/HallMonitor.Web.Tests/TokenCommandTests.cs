using System.Text.Json;
using HallMonitor.Grains;

namespace HallMonitor.Web.Tests;

/// <summary>The README's token command: a fresh token, and the halls-file entry holding only its hash.</summary>
public sealed class TokenCommandTests
{
    [Fact]
    public void NewToken_PrintsATokenOnce_AndAnEntryWithItsHashRoleNameAndScope()
    {
        var output = new StringWriter();
        var exit = TokenCommand.Run(["new-token", "--role", "clerk", "--name", "张三", "--hall", "xinqu", "--window", "01"], output, TextWriter.Null);

        Assert.Equal(0, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var token = lines[1];
        var entry = JsonSerializer.Deserialize<TokenDefinition>(lines[3], HallMonitorJson.Options)!;
        Assert.Equal(AccessTokens.Hash(token), entry.Sha256);
        Assert.Equal(("clerk", "张三", "xinqu", "01"), (entry.Role, entry.Name, entry.Hall, entry.Window));
        Assert.Contains("\"name\":\"张三\"", lines[3], StringComparison.Ordinal);
        Assert.True(token.Length >= 43, "256 random bits");
        Assert.Equal("张三", new AccessTokens(new AuthDefinition { Tokens = [entry] }).Find(token)?.Name);
    }

    [Fact]
    public void TwoTokens_AreNeverTheSame()
    {
        var first = new StringWriter();
        var second = new StringWriter();
        TokenCommand.Run(["new-token", "--role", "admin", "--name", "a"], first, TextWriter.Null);
        TokenCommand.Run(["new-token", "--role", "admin", "--name", "b"], second, TextWriter.Null);

        Assert.NotEqual(first.ToString().Split('\n')[1], second.ToString().Split('\n')[1]);
    }

    [Theory]
    [InlineData(new[] { "new-token", "--role", "janitor", "--name", "x" }, "role: 'janitor' must be one of")]
    [InlineData(new[] { "new-token", "--role", "clerk", "--name", "x", "--hall", "xinqu" }, "a clerk token belongs to one window")]
    [InlineData(new[] { "new-token", "--role", "supervisor", "--name", "x" }, "a supervisor token belongs to one hall")]
    [InlineData(new[] { "new-token", "--role", "kiosk" }, ".name: required")]
    [InlineData(new[] { "new-token", "--role" }, "usage:")]
    public void BadArguments_Exit2_SayingWhy_AndPrintNoToken(string[] args, string why)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        Assert.Equal(2, TokenCommand.Run(args, output, error));
        Assert.Contains(why, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }
}
