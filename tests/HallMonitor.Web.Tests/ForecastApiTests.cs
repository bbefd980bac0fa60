using System.Net;
using System.Text.Json;
using HallMonitor.Testing;

namespace HallMonitor.Web.Tests;

/// <summary>The staffing forecast through the HTTP API: its shape, the hours asked for, and refusals.</summary>
public sealed class ForecastApiTests
{
    private const string Hall = Api.Hall;

    /// <summary>09:40 on Monday 23 November 2026 in Shanghai.</summary>
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 9, 40, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Forecast_AnswersEveryMatterAndSector_ForTheHoursAsked()
    {
        await using var api = new ApiFactory(new ManualTimeProvider(Morning));
        using var client = api.CreateClient();
        await client.IssueAsync("BIZ-REG");
        await client.IssueAsync("BIZ-REG");
        await client.OpenAsync("09", "王芳");

        var body = await client.GetAsync<JsonElement>($"{Hall}/forecast?hours=2");

        Assert.Equal("2026-11-23T09:40:00+08:00", body.GetProperty("at").GetString());
        var matters = body.GetProperty("matters").EnumerateArray().ToList();
        Assert.Equal(["BIZ-REG", "TAX-INV", "RE-TRANS"], matters.Select(m => m.GetProperty("matter").GetString()));
        var bizReg = matters[0];
        Assert.Equal(("企业设立登记", "商事登记", 2, 1, 1800), (
            bizReg.GetProperty("name").GetString(), bizReg.GetProperty("sector").GetString(), bizReg.GetProperty("waiting").GetInt32(),
            bizReg.GetProperty("servingWindows").GetInt32(), bizReg.GetProperty("waitTargetSeconds").GetInt32()));
        // Window 09 calls the first now and the second after one 20-minute service.
        Assert.Equal(("2026-11-23T10:00:00+08:00", 0), (bizReg.GetProperty("lastCallAt").GetString(), bizReg.GetProperty("pastTarget").GetInt32()));
        Assert.Equal(JsonValueKind.Null, matters[1].GetProperty("lastCallAt").ValueKind);
        var hours = bizReg.GetProperty("staffing").EnumerateArray().ToList();
        Assert.Equal(["2026-11-23T09:00:00+08:00", "2026-11-23T10:00:00+08:00"], hours.Select(h => h.GetProperty("from").GetString()));
        Assert.Equal("2026-11-23T11:00:00+08:00", hours[1].GetProperty("to").GetString());
        foreach (var field in (string[])["arrivalsPerHour", "handleSeconds", "windowsNeeded", "basis", "days"])
        {
            Assert.True(hours[0].TryGetProperty(field, out _), $"A staffing hour has no '{field}': {hours[0]}");
        }

        Assert.Equal(("today", 1), (hours[0].GetProperty("basis").GetString(), hours[0].GetProperty("days").GetInt32()));
        // Two tickets in the 40 minutes since the hour of the first one: three an hour.
        Assert.Equal(3.0, hours[0].GetProperty("arrivalsPerHour").GetDouble());

        var sectors = body.GetProperty("sectors").EnumerateArray().ToList();
        Assert.Equal(["商事登记", "办税服务", "不动产登记"], sectors.Select(s => s.GetProperty("sector").GetString()));
        Assert.Equal((1, 2), (sectors[0].GetProperty("windowsOpen").GetInt32(), sectors[0].GetProperty("staffing").GetArrayLength()));
        Assert.Equal(0, sectors[1].GetProperty("windowsOpen").GetInt32());
        var pooled = body.GetProperty("pooled");
        Assert.Equal(("长春新区政务服务中心", 3, 1, 1200), (pooled.GetProperty("sector").GetString(), pooled.GetProperty("matters").GetArrayLength(),
            pooled.GetProperty("windowsOpen").GetInt32(), pooled.GetProperty("waitTargetSeconds").GetInt32()));
    }

    [Fact]
    public async Task Forecast_CoversFourHoursByDefault()
    {
        await using var api = new ApiFactory(new ManualTimeProvider(Morning));
        using var client = api.CreateClient();

        var body = await client.GetAsync<JsonElement>($"{Hall}/forecast");

        var hours = body.GetProperty("sectors")[0].GetProperty("staffing").EnumerateArray().ToList();
        Assert.Equal(4, hours.Count);
        Assert.All(hours, h => Assert.Equal(("none", JsonValueKind.Null), (h.GetProperty("basis").GetString(), h.GetProperty("windowsNeeded").ValueKind)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("13")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("four")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public async Task Forecast_BadHours_Is400WithProblemDetails(string hours)
    {
        await using var api = new ApiFactory();
        using var client = api.CreateClient();

        var response = await client.GetAsync($"{Hall}/forecast?hours={hours}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.True(problem.GetProperty("errors").TryGetProperty("hours", out _), problem.ToString());
    }

    [Fact]
    public async Task Forecast_OfAnUnknownHall_Is404()
    {
        await using var api = new ApiFactory();
        using var client = api.CreateClient();

        var response = await client.GetAsync("/api/halls/nowhere/forecast");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
