using Byot.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Byot.Shared.Incidents;

public static class IncidentServiceCollectionExtensions
{
    /// <summary>Incidents as a resource: listing, the timeline, acknowledging and resolving by hand.</summary>
    public static IServiceCollection AddByotIncidents(this IServiceCollection services)
    {
        services.AddSingleton<IncidentStore>();
        services.AddSingleton<IncidentService>();
        return services;
    }
}
