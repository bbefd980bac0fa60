using System.Reflection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HallMonitor.Web.Tests;

/// <summary>
/// An Orleans incoming grain call filter that gets in the way of one grain method before the grain sees the call:
/// it fails every call with an exception, or holds every call until <see cref="Release"/>. Other calls pass.
/// </summary>
internal sealed class GrainCallFault : IIncomingGrainCallFilter
{
    private readonly MethodInfo _method;
    private readonly Func<Exception>? _failure;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<object?> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GrainCallFault(MethodInfo method, Func<Exception>? failure)
    {
        _method = method;
        _failure = failure;
    }

    /// <summary>Every call of <paramref name="method"/> fails with a new exception from <paramref name="failure"/>.</summary>
    public static GrainCallFault Failing<TGrain>(string method, Func<Exception> failure)
        where TGrain : IGrain => new(typeof(TGrain).GetMethod(method)!, failure);

    /// <summary>Every call of <paramref name="method"/> waits for <see cref="Release"/>, then runs.</summary>
    public static GrainCallFault Holding<TGrain>(string method)
        where TGrain : IGrain => new(typeof(TGrain).GetMethod(method)!, failure: null);

    /// <summary>What a held call answered once released, however late.</summary>
    public Task<object?> Completed => _completed.Task;

    public void Release() => _release.TrySetResult();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod.DeclaringType != _method.DeclaringType || context.InterfaceMethod.Name != _method.Name)
        {
            await context.Invoke();
            return;
        }

        if (_failure is not null)
        {
            throw _failure();
        }

        await _release.Task;
        await context.Invoke();
        _completed.TrySetResult(context.Result);
    }
}

internal static class GrainCallFaultExtensions
{
    /// <summary>The application of <paramref name="api"/> with <paramref name="fault"/> in its silo's call pipeline.</summary>
    public static WebApplicationFactory<Program> With(this ApiFactory api, GrainCallFault fault, TimeSpan? responseTimeout = null) =>
        api.WithWebHostBuilder(web =>
        {
            if (responseTimeout is { } timeout)
            {
                web.UseSetting("HallMonitor:ResponseTimeout", timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
            }

            web.ConfigureServices(services => services.AddSingleton<IIncomingGrainCallFilter>(fault));
        });
}
