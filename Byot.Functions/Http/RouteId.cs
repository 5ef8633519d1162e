using Byot.Shared.Runs;

namespace Byot.Functions.Http;

/// <summary>Ids from routes, parsed at the edge, so services take typed ids: a malformed one is the client's 400
/// (<see cref="Ids"/>), an unknown one the service's 404.</summary>
internal static class RouteId
{
    public static Guid Test(string? raw) => Ids.Parse("test", raw);

    public static Guid Run(string? raw) => Ids.Parse("run", raw);

    public static Guid Upload(string? raw) => Ids.Parse("upload", raw);

    public static Guid Incident(string? raw) => Ids.Parse("incident", raw);

    public static Guid Maintenance(string? raw) => Ids.Parse("maintenance", raw);
}
