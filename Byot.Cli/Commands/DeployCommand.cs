using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Byot.Cli.Api;
using Byot.Cli.Deploy;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary><c>byot deploy</c>: monitoring as code. Reads byot.yaml, prints the plan, applies it. Idempotent: a
/// second deploy of the same file finds every test unchanged and uploads nothing. Secrets are write-only on the
/// server, so their values (from environment variables) are re-sent on every apply; that rewrites the same value.</summary>
internal static class DeployCommand
{
    public static Command Create(CommandKit kit)
    {
        var file = new Option<string>("--file", "-f") { Description = "The deploy file.", DefaultValueFactory = _ => "byot.yaml" };
        var prune = new Option<bool>("--prune") { Description = "Delete tests on the server that byot.yaml does not name." };
        var dryRun = new Option<bool>("--dry-run", "--plan") { Description = "Print the plan and change nothing." };
        var command = new Command("deploy", "Create, update (and with --prune delete) tests to match byot.yaml.") { file, prune, dryRun };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            var path = kit.FullPath(parse.GetValue(file)!);
            var spec = DeployFileReader.Read(path, kit.Host.Environment);
            using var client = kit.Client();
            using var plan = await DeployPlanner.PlanAsync(client, path, spec, parse.GetValue(prune), cancellationToken);
            plan.Windows = await WindowPlanner.PlanAsync(client, spec, parse.GetValue(prune), cancellationToken);
            var dry = parse.GetValue(dryRun);
            if (!renderer.Json)
            {
                Print(renderer, plan);
            }

            if (!dry)
            {
                var ids = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var item in plan.Items)
                {
                    if (await ApplyAsync(client, renderer, kit.Host, item, cancellationToken) is { } id)
                    {
                        ids[item.Name] = id;
                    }
                }

                // Dependencies last, when every test of the file has its id (one may depend on a test just created).
                foreach (var item in plan.Items.Where(i => i.DependsOn is not null))
                {
                    var selectors = item.DependsOn!.Select(d => DeployPlanner.IsSelector(d) ? d : ids[d]).ToList();
                    await PatchAsync(client, ids[item.Name], JsonSerializer.Serialize(new { dependsOn = selectors }), cancellationToken);
                }

                // After the tests: a window may cover a test the file just created.
                foreach (var window in plan.Windows)
                {
                    await ApplyAsync(client, kit.Host, window, cancellationToken);
                }
            }

            if (renderer.Json)
            {
                renderer.WriteJson(new
                {
                    applied = !dry,
                    items = plan.Items.Select(i => new { action = i.Action, name = i.Name, id = i.Id, changes = i.Changes, upload = i.Upload }),
                    maintenance = plan.Windows.Select(w => new { action = w.Action, name = w.Name, id = w.Id, changes = w.Changes }),
                });
            }
            else
            {
                renderer.Line(dry ? "Dry run: nothing changed." : "Applied.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(Renderer renderer, DeployPlan plan)
    {
        foreach (var item in plan.Items)
        {
            var mark = item.Action switch
            {
                DeployPlan.Create => "+",
                DeployPlan.Update => "~",
                DeployPlan.Delete => "-",
                DeployPlan.Kept => "?",
                _ => "=",
            };
            renderer.Line($"{mark} {item.Action} {item.Name}{(item.Id is null ? "" : " " + item.Id)}");
            foreach (var change in item.Changes)
            {
                renderer.Line("    " + change);
            }
        }

        foreach (var window in plan.Windows)
        {
            renderer.Line($"{Mark(window.Action)} {window.Action} maintenance '{window.Name}'{(window.Id is null ? "" : " " + window.Id)}");
            foreach (var change in window.Changes)
            {
                renderer.Line("    " + change);
            }
        }

        renderer.Line(plan.Summary());
    }

    private static string Mark(string action) => action switch
    {
        DeployPlan.Create => "+",
        DeployPlan.Update => "~",
        DeployPlan.Delete => "-",
        DeployPlan.Kept => "?",
        _ => "=",
    };

    private static async Task ApplyAsync(ByotClient client, CliHost host, WindowPlanItem window, CancellationToken cancellationToken)
    {
        switch (window.Action)
        {
            case DeployPlan.Create:
                var created = await MaintenanceCommand.SendAsync(client, HttpMethod.Post, "maintenance", await WindowPlanner.BodyAsync(client, window.Spec!, cancellationToken), cancellationToken);
                host.Error.WriteLine($"created maintenance '{window.Name}' {Json.Str(created.GetProperty("window"), "id")}");
                break;
            case DeployPlan.Update:
                await MaintenanceCommand.SendAsync(client, HttpMethod.Patch, $"maintenance/{window.Id}", await WindowPlanner.BodyAsync(client, window.Spec!, cancellationToken), cancellationToken);
                host.Error.WriteLine($"updated maintenance '{window.Name}' {window.Id}");
                break;
            case DeployPlan.Delete:
                using (var request = new HttpRequestMessage(HttpMethod.Delete, $"maintenance/{window.Id}"))
                {
                    (await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)).Dispose();
                }

                host.Error.WriteLine($"deleted maintenance '{window.Name}' {window.Id}");
                break;
            default:
                break;
        }
    }

    /// <summary>Applies one item; the test's id, or null when it was deleted.</summary>
    private static async Task<string?> ApplyAsync(ByotClient client, Renderer renderer, CliHost host, PlanItem item, CancellationToken cancellationToken)
    {
        var id = item.Id;
        switch (item.Action)
        {
            case DeployPlan.Create:
                var created = await Uploader.UploadAsync(
                    client, renderer, UploadRoute.NewTest, item.Bundle!, CreateFields(item.Spec!), Uploader.DefaultDirectAboveBytes, host.ConfigDirectory, cancellationToken);
                id = Json.Str(created, "id");
                if (item.Spec!.Enabled == false)
                {
                    await PatchAsync(client, id, "{\"enabled\":false}", cancellationToken);
                }

                host.Error.WriteLine($"created {item.Name} {id}");
                break;
            case DeployPlan.Update:
                if (item.Patch.Count > 0)
                {
                    await PatchAsync(client, id!, item.Patch.ToJsonString(), cancellationToken);
                }

                if (item.Upload)
                {
                    await Uploader.UploadAsync(
                        client, renderer, UploadRoute.Version(id!), item.Bundle!, [], Uploader.DefaultDirectAboveBytes, host.ConfigDirectory, cancellationToken);
                }

                host.Error.WriteLine($"updated {item.Name} {id}");
                break;
            case DeployPlan.Delete:
                using (var request = new HttpRequestMessage(HttpMethod.Delete, $"tests/{id}"))
                {
                    (await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)).Dispose();
                }

                host.Error.WriteLine($"deleted {item.Name} {id}");
                return null;
            default:
                break;
        }

        foreach (var (name, variable) in item.Spec?.Secrets ?? [])
        {
            await SecretsCommand.PutAsync(client, id!, name, host.Environment(variable)!, cancellationToken);
        }

        return id;
    }

    private static List<(string, string)> CreateFields(DeployTest spec)
    {
        var fields = new List<(string, string)> { ("name", spec.Name!), ("runtime", spec.Runtime!), ("severity", spec.Severity ?? "P2") };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                fields.Add((name, value));
            }
        }

        Add("schedule", spec.Schedule);
        Add("timezone", spec.Timezone);
        Add("timeout", spec.Timeout?.ToString(CultureInfo.InvariantCulture));
        Add("failure_threshold", spec.FailureThreshold?.ToString(CultureInfo.InvariantCulture));
        Add("docker_memory_mb", spec.MemoryMb?.ToString(CultureInfo.InvariantCulture));
        Add("docker_cpus", spec.Cpus?.ToString(CultureInfo.InvariantCulture));
        Add("docker_network_enabled", spec.Network is null ? null : spec.Network.Value ? "true" : "false");
        Add("command", spec.Command is { Count: > 0 } c ? JsonSerializer.Serialize(c) : null);
        Add("image", spec.Image);
        Add("isolation", spec.Isolation);
        Add("retries", spec.Retries?.ToString(CultureInfo.InvariantCulture));
        Add("retry_delay", spec.RetryDelay?.ToString(CultureInfo.InvariantCulture));
        Add("retry_backoff", spec.RetryBackoff);
        Add("tags", spec.Tags is { Count: > 0 } tags ? string.Join(',', tags) : null);
        Add("locations", spec.Locations is { Count: > 0 } locations ? string.Join(',', locations) : null);
        Add("failing_locations", spec.FailingLocations?.ToString(CultureInfo.InvariantCulture));
        return fields;
    }

    private static async Task PatchAsync(ByotClient client, string id, string json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"tests/{id}")
        {
            Content = new StringContent(json, new UTF8Encoding(false), new MediaTypeHeaderValue("application/json")),
        };
        (await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)).Dispose();
    }
}
