using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Byot.Cli.Output;

/// <summary>Writes results: raw JSON with --json, Spectre tables and colour on a terminal, aligned plain text
/// otherwise (stable for scripts and logs).</summary>
internal sealed class Renderer(CliHost host, bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public bool Json => json;

    public bool Rich => host.OutputIsTerminal && !json;

    public TextWriter Out => host.Out;

    public IAnsiConsole Console() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(host.Out),
        // The host already decided this is a terminal (and tests pretend so), so don't let Spectre second-guess it.
        Ansi = AnsiSupport.Yes,
        Interactive = InteractionSupport.Yes,
        ColorSystem = ColorSystemSupport.Detect,
    });

    public void WriteJson(JsonElement element) => host.Out.WriteLine(JsonSerializer.Serialize(element, Indented));

    public void WriteJson<T>(T value) => host.Out.WriteLine(JsonSerializer.Serialize(value, Indented));

    public void Line(string text) => host.Out.WriteLine(text);

    public void Info(string text) => host.Error.WriteLine(text);

    /// <summary>A table; <paramref name="colour"/> picks a Spectre colour per cell on a terminal (null: none).</summary>
    public void Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, Func<string, string?>? colour = null)
    {
        if (Rich)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var header in headers)
            {
                table.AddColumn(new TableColumn(Markup.Escape(header)));
            }

            foreach (var row in rows)
            {
                table.AddRow([.. row.Select(cell => colour?.Invoke(cell) is { } c ? $"[{c}]{Markup.Escape(cell)}[/]" : Markup.Escape(cell))]);
            }

            Console().Write(table);
            return;
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        host.Out.WriteLine(Format(headers, widths));
        foreach (var row in rows)
        {
            host.Out.WriteLine(Format(row, widths));
        }
    }

    public void Pairs(IEnumerable<(string Key, string Value)> pairs)
    {
        var list = pairs.ToList();
        var width = list.Max(p => p.Key.Length);
        foreach (var (key, value) in list)
        {
            host.Out.WriteLine((key + ":").PadRight(width + 2) + value);
        }
    }

    private static string Format(IReadOnlyList<string> cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            line.Append(i == cells.Count - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        return line.ToString().TrimEnd();
    }

    public static string? StateColour(string cell) => cell switch
    {
        "passed" or "passing" or "green" or "operational" => "green",
        "failed" or "failing" or "red" or "down" or "timed_out" or "oom" => "red",
        "infra_error" or "unknown" or "degraded" or "amber" or "yellow" => "yellow",
        _ => null,
    };
}
