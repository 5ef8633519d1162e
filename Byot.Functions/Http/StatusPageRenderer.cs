using System.Globalization;
using System.Net;
using System.Text;
using Byot.Shared.Status;

namespace Byot.Functions.Http;

/// <summary>Renders the status board as one self-contained HTML page: inline CSS, no script, no external asset (a red
/// browser flow's screenshot comes from the page's own origin), refreshes itself, reads on a phone. Every name is HTML-encoded.</summary>
internal static class StatusPageRenderer
{
    private const string Css = """
        :root{--green:#1e8e3e;--amber:#f9ab00;--red:#d93025;--grey:#9aa0a6;--ink:#202124;--muted:#5f6368;--line:#e8eaed}
        *{box-sizing:border-box}body{margin:0;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f8f9fa}
        header{padding:20px 16px;background:#fff;border-bottom:1px solid var(--line)}h1{margin:0;font-size:22px}
        .overall{display:inline-block;margin-top:8px;padding:4px 12px;border-radius:999px;color:#fff;font-weight:600}
        .updated{color:var(--muted);font-size:13px;margin-top:6px}main{max-width:960px;margin:0 auto;padding:12px}
        .flow{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;background:#fff;border:1px solid var(--line);border-left:8px solid var(--grey);border-radius:8px;padding:12px 14px;margin:10px 0}
        .flow.green{border-left-color:var(--green)}.flow.amber{border-left-color:var(--amber)}.flow.red{border-left-color:var(--red)}
        .name{font-weight:600;font-size:17px;flex:1 1 220px;word-break:break-word}.sev{font-size:12px;padding:2px 8px;border-radius:6px;background:#eef;color:#334}
        .state{font-weight:600}.green .state{color:var(--green)}.amber .state{color:#b06000}.red .state{color:var(--red)}.grey .state{color:var(--muted)}
        .meta{color:var(--muted);font-size:13px;flex:1 1 100%}.bar{display:flex;gap:2px;flex:1 1 100%;height:18px}
        .bar span{flex:0 0 8px;border-radius:2px;background:var(--grey)}.bar .passed{background:var(--green)}.bar .failed,.bar .timed_out,.bar .oom{background:var(--red)}.bar .infra_error{background:#dadce0}
        .bg-green{background:var(--green)}.bg-amber{background:var(--amber)}.bg-red{background:var(--red)}.bg-grey{background:var(--grey)}
        .empty{color:var(--muted);padding:24px;text-align:center}
        .shot{flex:1 1 100%}.shot img{display:block;width:100%;max-width:480px;height:auto;border:1px solid var(--line);border-radius:6px}
        """;

    /// <summary>The page a browser gets when the status page is private: why, and a form for the key. The form
    /// posts to /status, which sets a cookie; the key never goes into a URL.</summary>
    public static string RenderKeyForm(string message, bool withForm)
    {
        var html = new StringBuilder(2048);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<title>Status key</title><style>").Append(Css).Append("</style></head><body>")
            .Append("<header><h1>Status</h1></header><main><p id=\"message\">").Append(Encode(message)).Append("</p>");
        if (withForm)
        {
            html.Append("<form method=\"post\" action=\"status\"><label>Status key ")
                .Append("<input type=\"password\" name=\"key\" autocomplete=\"current-password\" required></label> ")
                .Append("<button type=\"submit\">Show the status</button></form>");
        }

        return html.Append("</main></body></html>").ToString();
    }

    public static string Render(StatusBoard board)
    {
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{board.RefreshSeconds}\">")
            .Append("<title>").Append(Encode(board.Title)).Append("</title><style>").Append(Css).Append("</style></head><body>")
            .Append("<header><h1>").Append(Encode(board.Title)).Append("</h1>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"overall bg-{board.Overall}\" id=\"overall\">{OverallText(board.Overall)}</div>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"updated\">Updated {board.GeneratedAt:yyyy-MM-dd HH:mm:ss} UTC · refreshes every {board.RefreshSeconds} s</div>");
        if (board.Tags.Count > 0)
        {
            html.Append("<div class=\"updated\" id=\"tags\">Flows tagged ").Append(Encode(string.Join(", ", board.Tags))).Append("</div>");
        }

        html.Append("</header><main>");

        if (board.Maintenance.Count > 0)
        {
            html.Append("<section id=\"maintenance\"><h2>Planned maintenance</h2><ul>");
            foreach (var m in board.Maintenance)
            {
                var when = m.Ongoing
                    ? string.Create(CultureInfo.InvariantCulture, $"Now, until {m.End:yyyy-MM-dd HH:mm} UTC")
                    : string.Create(CultureInfo.InvariantCulture, $"{m.Start:yyyy-MM-dd HH:mm} to {m.End:yyyy-MM-dd HH:mm} UTC");
                var effect = m.Mode == "pause" ? "checks paused" : "alerts held";
                html.Append("<li>").Append(when).Append(": ").Append(Encode(m.Name)).Append(" (").Append(effect).Append(") for ")
                    .Append(Encode(string.Join(", ", m.Flows))).Append("</li>");
            }

            html.Append("</ul></section>");
        }

        if (board.Flows.Count == 0)
        {
            html.Append("<p class=\"empty\">No flows are monitored yet.</p>");
        }

        foreach (var flow in board.Flows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"flow {flow.State}\" data-state=\"{flow.State}\">")
                .Append("<div class=\"name\">").Append(Encode(flow.Name)).Append("</div>")
                .Append("<span class=\"sev\">").Append(Encode(flow.Severity)).Append("</span>")
                .Append("<span class=\"state\">").Append(Encode(flow.Reason)).Append("</span>")
                .Append("<div class=\"meta\">").Append(Meta(flow, board.GeneratedAt)).Append("</div>")
                .Append("<div class=\"bar\" title=\"last 30 runs, oldest first\">");
            foreach (var status in flow.Recent)
            {
                html.Append(CultureInfo.InvariantCulture, $"<span class=\"{status}\" title=\"{status}\"></span>");
            }

            html.Append("</div>");
            if (flow.Screenshot is { } shot)
            {
                // The failing screenshot of a red browser flow, scaled to the page's width on a phone.
                html.Append("<a class=\"shot\" href=\"").Append(Encode(shot)).Append("\"><img src=\"").Append(Encode(shot))
                    .Append("\" alt=\"Screenshot of the failing run of ").Append(Encode(flow.Name)).Append("\" loading=\"lazy\"></a>");
            }

            html.Append("</section>");
        }

        return html.Append("</main></body></html>").ToString();
    }

    private static string Meta(FlowStatus flow, DateTimeOffset now)
    {
        var parts = new List<string>();
        parts.Add(flow.LastRunAt is { } at ? $"last run {Ago(now - at)} ago" : "never run");
        if (flow.Cases is { Judged: > 0 } cases)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{cases.Passed} of {cases.Judged} passing"));
        }
        if (flow.LastDurationMs is { } ms)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"took {ms / 1000.0:0.0} s"));
        }

        parts.Add("uptime 24 h " + Percent(flow.Uptime24h));
        parts.Add("7 d " + Percent(flow.Uptime7d));
        return Encode(string.Join(" · ", parts));
    }

    private static string Ago(TimeSpan span) => span.TotalSeconds < 90 ? $"{Math.Max(0, (int)span.TotalSeconds)} s"
        : span.TotalMinutes < 90 ? $"{(int)span.TotalMinutes} min"
        : span.TotalHours < 48 ? $"{(int)span.TotalHours} h"
        : $"{(int)span.TotalDays} d";

    private static string Percent(double? ratio) => ratio is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r * 100:0.##}%") : "–";

    private static string OverallText(string overall) => overall switch
    {
        "green" => "All flows working",
        "amber" => "Some flows degraded",
        "red" => "Something is broken",
        _ => "No data yet",
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
