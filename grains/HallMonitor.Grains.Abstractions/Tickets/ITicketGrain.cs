
namespace HallMonitor.Grains;

/// <summary>
/// A ticket (key <c>{hall}/{ticketId}</c>): its record and history, read from the hall journal, and the
/// visitor's actions on it.
/// </summary>
public interface ITicketGrain : IGrainWithStringKey
{
    /// <summary>The ticket with its full history.</summary>
    Task<TicketView> GetAsync();

    /// <summary>Withdraws a waiting ticket.</summary>
    Task<TicketView> CancelAsync(string actor);

    /// <summary>Rates a completed service, once.</summary>
    Task<TicketView> RateAsync(int score, string? comment, string actor);
}
