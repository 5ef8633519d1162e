using System.CommandLine;
using System.Globalization;
using Byot.Cli.Api;
using Byot.Cli.Bundling;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary><c>byot push FILE|DIR --runtime … --severity … --schedule …</c>: create a test from a binary, a script
/// or a directory (sent as a .tar.gz bundle).</summary>
internal static class PushCommand
{
    public static Command Create(CommandKit kit)
    {
        var path = new Argument<string>("PATH") { Description = "A file (binary, script, .zip, .tar.gz) or a directory to bundle." };
        var runtime = new Option<string>("--runtime", "-r") { Description = "go, binary, node, python, ruby, deno, k6, playwright, shell or image.", Required = true };
        var severity = new Option<string>("--severity", "-s") { Description = "P0 (page now) … P3 (weekly digest).", DefaultValueFactory = _ => "P2" };
        var schedule = new Option<string?>("--schedule") { Description = "Cron (5 or 6 fields) or an interval such as 5m." };
        var timezone = new Option<string?>("--timezone") { Description = "Time zone of a cron schedule (IANA id)." };
        var name = new Option<string?>("--name", "-n") { Description = "Test name (default: the file name)." };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds before the run is stopped." };
        var threshold = new Option<int?>("--failure-threshold") { Description = "Consecutive failures before an incident opens." };
        var commandLine = new Option<string?>("--command") { Description = "Command override, e.g. \"node main.js\"." };
        var image = new Option<string?>("--image") { Description = "Image for --runtime image." };
        var directAbove = new Option<long>("--direct-above")
        {
            Description = "Upload files larger than this many bytes straight to Blob storage (resumable) instead of in one request.",
            DefaultValueFactory = _ => Uploader.DefaultDirectAboveBytes,
        };
        var command = new Command("push", "Upload a file or directory as a new test.")
        {
            path, runtime, severity, schedule, timezone, name, timeout, threshold, commandLine, image, directAbove,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            var source = kit.FullPath(parse.GetValue(path)!);
            using var client = kit.Client();
            using var bundle = await Bundler.CreateAsync(source, cancellationToken);
            var fields = new List<(string, string)> { ("runtime", parse.GetValue(runtime)!), ("severity", parse.GetValue(severity)!) };
            Add(fields, "name", parse.GetValue(name));
            Add(fields, "schedule", parse.GetValue(schedule));
            Add(fields, "timezone", parse.GetValue(timezone));
            Add(fields, "timeout", parse.GetValue(timeout)?.ToString(CultureInfo.InvariantCulture));
            Add(fields, "failure_threshold", parse.GetValue(threshold)?.ToString(CultureInfo.InvariantCulture));
            Add(fields, "command", parse.GetValue(commandLine));
            Add(fields, "image", parse.GetValue(image));
            var created = await Uploader.UploadAsync(
                client, renderer, UploadRoute.NewTest, bundle, fields, parse.GetValue(directAbove), kit.Host.ConfigDirectory, cancellationToken);
            if (renderer.Json)
            {
                renderer.WriteJson(created);
            }
            else
            {
                renderer.Line($"created test {Json.Str(created, "id")} from {bundle.FileName} ({bundle.Length} bytes, sha256 {bundle.Sha256})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Add(List<(string, string)> fields, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            fields.Add((name, value));
        }
    }
}
