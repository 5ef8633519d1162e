using Byot.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Byot.Shared.Maintenance;

public static class MaintenanceServiceCollectionExtensions
{
    /// <summary>Maintenance windows: their definitions and the calendar of their occurrences.</summary>
    public static IServiceCollection AddByotMaintenance(this IServiceCollection services)
    {
        services.AddSingleton<MaintenanceStore>();
        services.AddSingleton<MaintenanceService>();
        services.AddSingleton<MuteCalendar>();
        return services;
    }
}
