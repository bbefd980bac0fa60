using System.Reflection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HallMonitor.Web.Tests;

/// <summary>
/// An Orleans incoming grain call filter that gets in the way of one grain method before the grain sees the call:
/// it fails every call with an exception. Other calls pass.
/// </summary>
internal sealed class GrainCallFault : IIncomingGrainCallFilter
{
    private readonly MethodInfo _method;
    private readonly Func<Exception> _failure;

    private GrainCallFault(MethodInfo method, Func<Exception> failure)
    {
        _method = method;
        _failure = failure;
    }

    /// <summary>Every call of <paramref name="method"/> fails with a new exception from <paramref name="failure"/>.</summary>
    public static GrainCallFault Failing<TGrain>(string method, Func<Exception> failure)
        where TGrain : IGrain => new(typeof(TGrain).GetMethod(method)!, failure);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod.DeclaringType != _method.DeclaringType || context.InterfaceMethod.Name != _method.Name)
        {
            await context.Invoke();
            return;
        }

        throw _failure();
    }
}

internal static class GrainCallFaultExtensions
{
    /// <summary>The application of <paramref name="api"/> with <paramref name="fault"/> in its silo's call pipeline.</summary>
    public static WebApplicationFactory<Program> With(this ApiFactory api, GrainCallFault fault) =>
        api.WithWebHostBuilder(web => web.ConfigureServices(services => services.AddSingleton<IIncomingGrainCallFilter>(fault)));
}
