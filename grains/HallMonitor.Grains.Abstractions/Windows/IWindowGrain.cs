
namespace HallMonitor.Grains;

/// <summary>
/// A service window (key <c>{hall}/{windowId}</c>). It owns its state machine and the ticket it calls or
/// serves; every action is journaled before it answers.
/// </summary>
public interface IWindowGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<WindowView> GetAsync();

    Task<WindowView> OpenAsync(string clerk);

    /// <summary>Pauses an idle window; <paramref name="clerk"/>, when given, must be the window's clerk.</summary>
    Task<WindowView> PauseAsync(string? clerk);

    Task<WindowView> ResumeAsync(string? clerk);

    Task<WindowView> CloseAsync(string? clerk);

    /// <summary>Calls the next ticket among the matters served here, or returns null when none waits.</summary>
    Task<TicketView?> CallNextAsync();

    Task<TicketView> RecallAsync();

    Task<TicketView> StartAsync();

    Task<TicketView> CompleteAsync();

    Task<TicketView> NoShowAsync();

    /// <summary>Ends the service by sending the visitor on to another matter; returns the new waiting leg.</summary>
    Task<TicketView> TransferAsync(string matter);

    /// <summary>Expires the ticket at the window if it belongs to a service day before <paramref name="today"/>.</summary>
    Task<bool> ExpireBeforeAsync(DateOnly today);

    /// <summary>Acknowledges the window's open handle alert.</summary>
    Task<AlertView> AcknowledgeAlertAsync(string alertId, string by);

    /// <summary>Brings the window back if it was collected and journals the alert that came due; the hall's wake reminder calls it.</summary>
    /// <summary>Deactivates once idle, so that the next call reads the reloaded configuration (targets, names).</summary>
    Task ReloadAsync();

    Task WakeAsync();
}
