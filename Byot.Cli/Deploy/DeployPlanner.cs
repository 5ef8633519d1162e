using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Byot.Cli.Api;
using Byot.Cli.Bundling;
using Byot.Cli.Output;

namespace Byot.Cli.Deploy;

/// <summary>Compares byot.yaml with the server: a test is matched by name; fields set in the file are compared
/// with the test's view, the artifact by sha256 (so an unchanged file or tree is never uploaded again).</summary>
internal static class DeployPlanner
{
    private static readonly JsonSerializerOptions Shown = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<DeployPlan> PlanAsync(ByotClient client, string deployFile, DeployFile file, bool prune, CancellationToken cancellationToken)
    {
        var list = await client.GetJsonAsync("tests", cancellationToken);
        var existing = list.EnumerateArray().Select(s => s.GetProperty("test"))
            .GroupBy(t => Json.Str(t, "name"), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var items = new List<PlanItem>();
        var declaredNames = file.Tests.Select(t => t.Name!).ToHashSet(StringComparer.Ordinal);
        foreach (var spec in file.Tests)
        {
            foreach (var entry in spec.DependsOn ?? [])
            {
                if (!IsSelector(entry) && !declaredNames.Contains(entry) && !existing.ContainsKey(entry))
                {
                    throw CliException.BadInput($"Test '{spec.Name}' depends on '{entry}', which is no test in byot.yaml or on the server; name a test, a test id or a tag selector such as tag:service:auth.");
                }

                if (string.Equals(entry, spec.Name, StringComparison.Ordinal))
                {
                    throw CliException.BadInput($"Test '{spec.Name}' depends on itself; remove it from its dependsOn.");
                }
            }
        }

        try
        {
            foreach (var spec in file.Tests)
            {
                var bundle = await Bundler.CreateAsync(DeployFileReader.ResolvePath(deployFile, spec), cancellationToken);
                try
                {
                    items.Add(await PlanOneAsync(client, spec, bundle, existing, cancellationToken));
                }
                catch
                {
                    bundle.Dispose();
                    throw;
                }
            }

            var declared = file.Tests.Select(t => t.Name!).ToHashSet(StringComparer.Ordinal);
            items.AddRange(existing.Where(e => !declared.Contains(e.Key)).SelectMany(e => e.Value)
                .OrderBy(t => Json.Str(t, "name"), StringComparer.Ordinal)
                .Select(t => new PlanItem { Action = prune ? DeployPlan.Delete : DeployPlan.Kept, Name = Json.Str(t, "name"), Id = Json.Str(t, "id") }));
            return new DeployPlan(items);
        }
        catch
        {
            new DeployPlan(items).Dispose();
            throw;
        }
    }

    private static async Task<PlanItem> PlanOneAsync(
        ByotClient client, DeployTest spec, Bundle bundle, Dictionary<string, List<JsonElement>> existing, CancellationToken cancellationToken)
    {
        if (!existing.TryGetValue(spec.Name!, out var matches))
        {
            List<string> created = [$"upload {bundle.FileName} ({bundle.Length} bytes)"];
            if (spec.DependsOn is { Count: > 0 } dependsOn)
            {
                created.Add($"dependsOn {JsonSerializer.Serialize(dependsOn, Shown)}");
            }

            return new PlanItem
            {
                Action = DeployPlan.Create, Name = spec.Name!, Spec = spec, Bundle = bundle, Upload = true, Changes = created,
                DependsOn = spec.DependsOn is { Count: > 0 } ? spec.DependsOn : null,
            };
        }

        if (matches.Count > 1)
        {
            throw CliException.BadInput($"{matches.Count} tests on the server are named '{spec.Name}' ({string.Join(", ", matches.Select(m => Json.Str(m, "id")))}); rename or delete all but one.");
        }

        var id = Json.Str(matches[0], "id");
        var view = await client.GetJsonAsync($"tests/{id}", cancellationToken);
        if (!string.Equals(Json.Str(view, "runtime"), spec.Runtime, StringComparison.Ordinal))
        {
            throw CliException.BadInput($"Test '{spec.Name}' runs on '{Json.Str(view, "runtime")}' but byot.yaml says '{spec.Runtime}'; a runtime cannot change in place: rename the test (and --prune the old one).");
        }

        var changes = new List<string>();
        var patch = new JsonObject();
        Compare(changes, patch, "severity", Json.Str(view, "severity"), spec.Severity, spec.Severity);
        Compare(changes, patch, "timeoutSeconds", Json.Str(view, "timeoutSeconds"), Num(spec.Timeout), spec.Timeout);
        Compare(changes, patch, "failureThreshold", Json.Str(view, "failureThreshold"), Num(spec.FailureThreshold), spec.FailureThreshold);
        Compare(changes, patch, "memoryMb", Json.Str(view, "memoryMb"), Num(spec.MemoryMb), spec.MemoryMb);
        Compare(changes, patch, "networkEnabled", Json.Str(view, "networkEnabled"), Bool(spec.Network), spec.Network);
        Compare(changes, patch, "enabled", Json.Str(view, "enabled"), Bool(spec.Enabled), spec.Enabled);
        Compare(changes, patch, "isolation", Json.Str(view, "isolation"), spec.Isolation, spec.Isolation);
        Compare(changes, patch, "retries", Json.Str(view, "retries"), Num(spec.Retries), spec.Retries);
        Compare(changes, patch, "retryDelaySeconds", Json.Str(view, "retryDelaySeconds"), Num(spec.RetryDelay), spec.RetryDelay);
        Compare(changes, patch, "retryBackoff", Json.Str(view, "retryBackoff"), spec.RetryBackoff, spec.RetryBackoff);
        if (spec.Cpus is { } cpus && (!view.TryGetProperty("cpus", out var c) || c.ValueKind != JsonValueKind.Number || Math.Abs(c.GetDouble() - cpus) > 1e-9))
        {
            changes.Add($"cpus {Json.Str(view, "cpus")} -> {cpus.ToString(CultureInfo.InvariantCulture)}");
            patch["cpus"] = cpus;
        }

        if (spec.Command is { Count: > 0 } command)
        {
            var current = view.TryGetProperty("command", out var cmd) && cmd.ValueKind == JsonValueKind.Array
                ? cmd.EnumerateArray().Select(a => a.GetString() ?? "").ToList()
                : [];
            if (!current.SequenceEqual(command, StringComparer.Ordinal))
            {
                // As JSON arrays: ["node test.js"] (one argument) and ["node","test.js"] must not read the same.
                changes.Add($"command {JsonSerializer.Serialize(current, Shown)} -> {JsonSerializer.Serialize(command, Shown)}");
                patch["command"] = new JsonArray([.. command.Select(a => (JsonNode?)JsonValue.Create(a))]);
            }
        }

        if (spec.Tags is { } tags)
        {
            var wanted = tags.Select(t => t.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var current = view.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(a => a.GetString() ?? "").ToList()
                : [];
            if (!current.SequenceEqual(wanted, StringComparer.Ordinal))
            {
                changes.Add($"tags {JsonSerializer.Serialize(current, Shown)} -> {JsonSerializer.Serialize(wanted, Shown)}");
                patch["tags"] = new JsonArray([.. wanted.Select(a => (JsonNode?)JsonValue.Create(a))]);
            }
        }

        if (spec.Locations is { } locations)
        {
            // Order is not meaning: [eu-west, default] runs from the same places as [default, eu-west].
            var wanted = locations.Order(StringComparer.Ordinal).ToList();
            var current = view.TryGetProperty("locations", out var l) && l.ValueKind == JsonValueKind.Array
                ? l.EnumerateArray().Select(a => a.GetString() ?? "").Order(StringComparer.Ordinal).ToList()
                : [];
            if (!current.SequenceEqual(wanted, StringComparer.Ordinal))
            {
                changes.Add($"locations {JsonSerializer.Serialize(current, Shown)} -> {JsonSerializer.Serialize(wanted, Shown)}");
                patch["locations"] = new JsonArray([.. wanted.Select(a => (JsonNode?)JsonValue.Create(a))]);
            }
        }

        Compare(changes, patch, "failingLocations", Json.Str(view, "failingLocations"), Num(spec.FailingLocations), spec.FailingLocations);

        IReadOnlyList<string>? dependencies = null;
        if (spec.DependsOn is { } wantedDependencies)
        {
            // Compared as the server stores them (ids, tag selectors); a name of a test still to be created differs.
            var ids = existing.Where(e => e.Value.Count == 1).ToDictionary(e => e.Key, e => Json.Str(e.Value[0], "id"), StringComparer.Ordinal);
            var names = ids.ToDictionary(e => e.Value, e => e.Key, StringComparer.OrdinalIgnoreCase);
            var wanted = wantedDependencies.Select(d => IsSelector(d) ? Normalize(d) : ids.GetValueOrDefault(d) ?? "?" + d).Distinct(StringComparer.Ordinal).ToList();
            var current = view.TryGetProperty("dependsOn", out var dep) && dep.ValueKind == JsonValueKind.Array
                ? dep.EnumerateArray().Select(a => a.GetString() ?? "").ToList()
                : [];
            if (!current.SequenceEqual(wanted, StringComparer.Ordinal))
            {
                var shownBefore = current.Select(d => names.GetValueOrDefault(d) ?? d).ToList();
                changes.Add($"dependsOn {JsonSerializer.Serialize(shownBefore, Shown)} -> {JsonSerializer.Serialize(wantedDependencies, Shown)}");
                dependencies = wantedDependencies;
            }
        }

        var schedule = Json.Obj(view, "schedule");
        var scheduleChanged = spec.Schedule is not null && !string.Equals(Json.Str(schedule, "expression"), spec.Schedule, StringComparison.Ordinal);
        var zoneChanged = spec.Timezone is not null && !string.Equals(Json.Str(schedule, "timeZone"), spec.Timezone, StringComparison.Ordinal);
        if (scheduleChanged || zoneChanged)
        {
            changes.Add($"schedule '{Json.Str(schedule, "expression")}' {Json.Str(schedule, "timeZone")} -> '{spec.Schedule ?? Json.Str(schedule, "expression")}' {spec.Timezone ?? Json.Str(schedule, "timeZone")}".TrimEnd());
            patch["schedule"] = spec.Schedule ?? Json.Str(schedule, "expression");
            if (spec.Timezone is not null)
            {
                patch["timezone"] = spec.Timezone;
            }
        }

        var serverSha = Json.Str(view, "artifactSha256");
        var upload = !string.Equals(serverSha, bundle.Sha256, StringComparison.OrdinalIgnoreCase);
        if (upload)
        {
            changes.Add($"artifact sha256 {Short(serverSha)} -> {Short(bundle.Sha256)} (upload {bundle.FileName}, {bundle.Length} bytes)");
        }

        return new PlanItem
        {
            Action = changes.Count == 0 ? DeployPlan.Unchanged : DeployPlan.Update,
            Name = spec.Name!,
            Id = id,
            Spec = spec,
            Bundle = bundle,
            Patch = patch,
            DependsOn = dependencies,
            Upload = upload,
            Changes = changes,
        };
    }

    private static void Compare<T>(List<string> changes, JsonObject patch, string field, string current, string? wanted, T? value)
    {
        if (wanted is null || string.Equals(current, wanted, StringComparison.Ordinal))
        {
            return;
        }

        changes.Add($"{field} {(current.Length == 0 ? "(none)" : current)} -> {wanted}");
        patch[field] = JsonValue.Create(value);
    }

    private static string? Num(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Bool(bool? value) => value is null ? null : value.Value ? "true" : "false";

    private static string Short(string sha) => sha.Length == 0 ? "(unknown)" : sha[..Math.Min(12, sha.Length)];

    /// <summary>A test id or a tag selector, as opposed to a test's name.</summary>
    internal static bool IsSelector(string entry) => entry.StartsWith("tag:", StringComparison.Ordinal) || Guid.TryParse(entry, out _);

    private static string Normalize(string selector) => Guid.TryParse(selector, out var id) ? id.ToString("D") : selector.Trim();
}
