using System.Text.Json;
using Xunit;

namespace Byot.Tests.Functions;

/// <summary>Checks the functions.metadata the Functions SDK generated at build: the contract the Functions host reads.</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly (string Name, string Route, string Method, string AuthLevel, string EntryPoint)[] Expected =
    [
        ("Health", "health", "get", "Anonymous", "Byot.Functions.Http.HealthFunctions.Get"),
        ("HealthDetails", "health/details", "get", "Function", "Byot.Functions.Http.HealthFunctions.Details"),
        ("UploadBinary", "uploadBinary", "post", "Function", "Byot.Functions.Http.TestsFunctions.UploadBinary"),
        ("RunNow", "run/{id}", "post", "Function", "Byot.Functions.Http.RunsFunctions.RunNow"),
        ("GetRun", "runs/{runId}", "get", "Function", "Byot.Functions.Http.RunsFunctions.GetRun"),
        ("GetRunLogs", "runs/{runId}/logs", "get", "Function", "Byot.Functions.Http.RunsFunctions.GetRunLogs"),
        ("GetTest", "tests/{id}", "get", "Function", "Byot.Functions.Http.TestsFunctions.GetTest"),
        ("UpdateTest", "tests/{id}", "patch", "Function", "Byot.Functions.Http.TestsFunctions.UpdateTest"),
        ("ListTests", "tests", "get", "Function", "Byot.Functions.Http.TestsFunctions.ListTests"),
        ("DeleteTest", "tests/{id}", "delete", "Function", "Byot.Functions.Http.TestsFunctions.DeleteTest"),
        ("UploadArtifactVersion", "tests/{id}/artifact", "post", "Function", "Byot.Functions.Http.TestsFunctions.UploadArtifactVersion"),
        ("GetTestRuns", "tests/{id}/runs", "get", "Function", "Byot.Functions.Http.RunsFunctions.GetTestRuns"),
        ("GetTestStats", "tests/{id}/stats", "get", "Function", "Byot.Functions.Http.RunsFunctions.GetTestStats"),
        ("PutSecret", "tests/{id}/secrets/{name}", "put", "Function", "Byot.Functions.Http.SecretsFunctions.Put"),
        ("ListSecrets", "tests/{id}/secrets", "get", "Function", "Byot.Functions.Http.SecretsFunctions.List"),
        ("DeleteSecret", "tests/{id}/secrets/{name}", "delete", "Function", "Byot.Functions.Http.SecretsFunctions.Delete"),
        ("OpenApi", "openapi.json", "get", "Anonymous", "Byot.Functions.Http.OpenApiFunctions.Get"),
        ("StatusPage", "status", "get", "Anonymous", "Byot.Functions.Http.StatusFunctions.Page"),
        ("StatusJson", "status.json", "get", "Anonymous", "Byot.Functions.Http.StatusFunctions.Json"),
        ("StatusKey", "status", "post", "Anonymous", "Byot.Functions.Http.StatusFunctions.Key"),
        ("StatusScreenshot", "status/screenshots/{testId}", "get", "Anonymous", "Byot.Functions.Http.StatusFunctions.Screenshot"),
        ("StatusIncident", "status/incidents/{incidentId}", "get", "Anonymous", "Byot.Functions.Http.StatusFunctions.Incident"),
        ("GetTestAlerts", "tests/{id}/alerts", "get", "Function", "Byot.Functions.Http.AlertsFunctions.GetTestAlerts"),
        ("UpdateTestAlerts", "tests/{id}/alerts", "patch", "Function", "Byot.Functions.Http.AlertsFunctions.UpdateTestAlerts"),
        ("ListRunArtifacts", "runs/{runId}/artifacts", "get", "Function", "Byot.Functions.Http.RunArtifactsFunctions.List"),
        ("GetRunArtifact", "runs/{runId}/artifacts/{*path}", "get", "Function", "Byot.Functions.Http.RunArtifactsFunctions.Get"),
        ("GetRunCases", "runs/{runId}/cases", "get", "Function", "Byot.Functions.Http.CasesFunctions.GetRunCases"),
        ("GetTestCases", "tests/{id}/cases", "get", "Function", "Byot.Functions.Http.CasesFunctions.GetTestCases"),
        ("GetTestCase", "tests/{id}/cases/{caseId}", "get", "Function", "Byot.Functions.Http.CasesFunctions.GetTestCase"),
        ("QuarantineTestCase", "tests/{id}/cases/{caseId}/quarantine", "put", "Function", "Byot.Functions.Http.CasesFunctions.Quarantine"),
        ("UnquarantineTestCase", "tests/{id}/cases/{caseId}/quarantine", "delete", "Function", "Byot.Functions.Http.CasesFunctions.Unquarantine"),
        ("GetTestSchedule", "tests/{id}/schedule", "get", "Function", "Byot.Functions.Http.ScheduleFunctions.Get"),
        ("StatusBoard", "status/board", "get", "Function", "Byot.Functions.Http.StatusFunctions.Board"),
        ("Dashboard", "app", "get", "Anonymous", "Byot.Functions.Http.DashboardFunctions.Shell"),
        ("DashboardAsset", "app/{*path}", "get", "Anonymous", "Byot.Functions.Http.DashboardFunctions.Asset"),
        ("BeginTestUpload", "uploads", "post", "Function", "Byot.Functions.Http.UploadsFunctions.BeginTestUpload"),
        ("BeginVersionUpload", "tests/{id}/uploads", "post", "Function", "Byot.Functions.Http.UploadsFunctions.BeginVersionUpload"),
        ("GetUpload", "uploads/{uploadId}", "get", "Function", "Byot.Functions.Http.UploadsFunctions.GetUpload"),
        ("CommitUpload", "uploads/{uploadId}/commit", "post", "Function", "Byot.Functions.Http.UploadsFunctions.CommitUpload"),
        ("ListIncidents", "incidents", "get", "Function", "Byot.Functions.Http.IncidentsFunctions.List"),
        ("GetIncident", "incidents/{id}", "get", "Function", "Byot.Functions.Http.IncidentsFunctions.Get"),
        ("AcknowledgeIncident", "incidents/{id}/ack", "post", "Function", "Byot.Functions.Http.IncidentsFunctions.Acknowledge"),
        ("ResolveIncident", "incidents/{id}/resolve", "post", "Function", "Byot.Functions.Http.IncidentsFunctions.Resolve"),
        ("CreateMaintenance", "maintenance", "post", "Function", "Byot.Functions.Http.MaintenanceFunctions.Create"),
        ("ListMaintenance", "maintenance", "get", "Function", "Byot.Functions.Http.MaintenanceFunctions.List"),
        ("GetMaintenance", "maintenance/{id}", "get", "Function", "Byot.Functions.Http.MaintenanceFunctions.Get"),
        ("UpdateMaintenance", "maintenance/{id}", "patch", "Function", "Byot.Functions.Http.MaintenanceFunctions.Update"),
        ("DeleteMaintenance", "maintenance/{id}", "delete", "Function", "Byot.Functions.Http.MaintenanceFunctions.Delete"),
    ];

    private static readonly (string Name, string Schedule, string EntryPoint)[] ExpectedTimers =
    [
        ("ScheduleTick", "*/10 * * * * *", "Byot.Functions.Timers.SchedulerFunctions.Tick"),
        ("SweepRuns", "*/30 * * * * *", "Byot.Functions.Timers.SchedulerFunctions.Sweep"),
        ("DeliverAlerts", "*/10 * * * * *", "Byot.Functions.Timers.AlertFunctions.Deliver"),
        ("WeeklyDigest", "0 0 9 * * 1", "Byot.Functions.Timers.AlertFunctions.Digest"),
        ("SweepUploads", "0 */5 * * * *", "Byot.Functions.Timers.UploadFunctions.Sweep"),
    ];

    [Fact]
    public void Every_function_has_the_expected_route_method_auth_level_and_entry_point()
    {
        var functions = Load();

        Assert.Equal(
            Expected.Select(e => e.Name).Concat(ExpectedTimers.Select(t => t.Name)).Order(StringComparer.Ordinal),
            functions.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        foreach (var expected in Expected)
        {
            var function = functions.Single(f => f.GetProperty("name").GetString() == expected.Name);
            Assert.Equal("Byot.Functions.dll", function.GetProperty("scriptFile").GetString());
            Assert.Equal("dotnet-isolated", function.GetProperty("language").GetString());
            Assert.Equal(expected.EntryPoint, function.GetProperty("entryPoint").GetString());

            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal(expected.Route, trigger.GetProperty("route").GetString());
            Assert.Equal(expected.AuthLevel, trigger.GetProperty("authLevel").GetString());
            Assert.Equal([expected.Method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
            Assert.Contains(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out");
        }
    }

    [Fact]
    public void Timers_tick_on_the_expected_schedules()
    {
        var functions = Load();
        foreach (var expected in ExpectedTimers)
        {
            var function = functions.Single(f => f.GetProperty("name").GetString() == expected.Name);
            Assert.Equal(expected.EntryPoint, function.GetProperty("entryPoint").GetString());
            var trigger = Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "timerTrigger");
            Assert.Equal(expected.Schedule, trigger.GetProperty("schedule").GetString());
            Assert.Equal("In", trigger.GetProperty("direction").GetString());
        }
    }

    [Fact]
    public void Only_health_the_openapi_document_the_status_page_and_the_dashboard_shell_are_anonymous()
    {
        var anonymous = Load()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.TryGetProperty("authLevel", out var level) && level.GetString() == "Anonymous"))
            .Select(f => f.GetProperty("name").GetString());

        Assert.Equal(["Dashboard", "DashboardAsset", "Health", "OpenApi", "StatusIncident", "StatusJson", "StatusKey", "StatusPage", "StatusScreenshot"], anonymous.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_openapi_document_describes_every_http_route_and_method_and_nothing_else()
    {
        var document = System.Text.Json.JsonDocument.Parse(
            typeof(Byot.Functions.Http.OpenApiFunctions).Assembly.GetManifestResourceStream("Byot.Functions.Http.openapi.json")!).RootElement;
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name} {p.Name}"))
            .Order(StringComparer.Ordinal);
        var routed = Load()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m => $"{m.GetString()!.ToLowerInvariant()} /{b.GetProperty("route").GetString()}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(routed, documented);
    }

    [Fact]
    public void Host_json_sets_an_empty_route_prefix_and_no_extension_bundle()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsOutput(), "host.json"))).RootElement;

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.False(host.TryGetProperty("extensionBundle", out _));
    }

    private static List<JsonElement> Load()
    {
        var path = Path.Combine(FunctionsOutput(), "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}; build Byot.Functions first");
        return [.. JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray()];
    }

    /// <summary>The Functions project's build output for the configuration this test assembly was built in.</summary>
    private static string FunctionsOutput()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Byot.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        return Path.Combine(root.FullName, "Byot.Functions", "bin", configuration, here.Name);
    }
}
