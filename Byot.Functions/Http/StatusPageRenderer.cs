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
        .history{flex:1 1 100%}.days{display:flex;gap:2px;height:22px}.days>*{flex:1 1 0;min-width:0;border-radius:2px;background:var(--green)}
        .days .hit{background:var(--red)}.days .open{background:var(--amber)}.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:12px}
        .incidents{margin:6px 0 0;padding-left:18px;font-size:14px}.incidents a{color:inherit}
        .steps{list-style:none;padding:0}.steps li{padding:8px 0;border-bottom:1px solid var(--line)}.steps time{display:block;color:var(--muted);font-size:13px}
        .facts{display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
        .facts dt{color:var(--muted)}.facts dd{margin:0;word-break:break-word}a.back{display:inline-block;margin:8px 0}
        .shot{flex:1 1 100%}.shot img{display:block;width:100%;max-width:480px;height:auto;border:1px solid var(--line);border-radius:6px}
        """;

    /// <summary>The page a browser gets when the status page is private: why, and a form for the key. The form
    /// posts to /status, which sets a cookie; the key never goes into a URL.</summary>
    public static string RenderKeyForm(string message, bool withForm, string toBase = "")
    {
        var html = new StringBuilder(2048);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<title>Status key</title><style>").Append(Css).Append("</style></head><body>")
            .Append("<header><h1>Status</h1></header><main><p id=\"message\">").Append(Encode(message)).Append("</p>");
        if (withForm)
        {
            html.Append("<form method=\"post\" action=\"").Append(Encode(toBase)).Append("status\"><label>Status key ")
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
            History(html, flow);
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

    // Enough for a reader to open the recent ones; the row of days shows them all.
    private const int IncidentsListed = 5;

    /// <summary>The flow's last 30 days as a row of boxes (red: an incident touched the day, linking to it; amber:
    /// one still open), and its latest incidents as links a thumb can hit on a phone.</summary>
    private static void History(StringBuilder html, FlowStatus flow)
    {
        if (flow.History.Count == 0)
        {
            return;
        }

        var open = flow.Incidents.Where(i => i.Ongoing).Select(i => i.Id).ToHashSet();
        html.Append("<div class=\"history\"><div class=\"days\" role=\"list\" aria-label=\"Incidents over the last 30 days, oldest first\">");
        foreach (var day in flow.History)
        {
            var date = day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (day.Incidents.Count == 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<span role=\"listitem\" data-day=\"{date}\" title=\"{date}: no incidents\"></span>");
                continue;
            }

            var kind = day.Incidents.Any(open.Contains) ? "open" : "hit";
            var count = day.Incidents.Count == 1 ? "1 incident" : $"{day.Incidents.Count} incidents";
            html.Append(CultureInfo.InvariantCulture, $"<a role=\"listitem\" class=\"{kind}\" data-day=\"{date}\" href=\"{Encode(StatusIncidentLinks.For(day.Incidents[^1]))}\" title=\"{date}: {count}\" aria-label=\"{date}: {count}\"></a>");
        }

        html.Append("</div><div class=\"axis\"><span>30 days ago</span><span>today</span></div>");
        if (flow.Incidents.Count == 0)
        {
            html.Append("<div class=\"axis\">No incidents in the last 30 days</div>");
        }
        else
        {
            html.Append("<ul class=\"incidents\">");
            foreach (var incident in flow.Incidents.Take(IncidentsListed))
            {
                var text = incident.End is { } end
                    ? string.Create(CultureInfo.InvariantCulture, $"{incident.Start:yyyy-MM-dd HH:mm} UTC, lasted {IncidentStory.Duration(end - incident.Start)}")
                    : string.Create(CultureInfo.InvariantCulture, $"Ongoing since {incident.Start:yyyy-MM-dd HH:mm} UTC");
                html.Append("<li><a href=\"").Append(Encode(incident.Link)).Append("\">").Append(Encode(text)).Append("</a></li>");
            }

            html.Append("</ul>");
        }

        html.Append("</div>");
    }

    /// <summary>One incident for a business reader: the flow, how bad, when, how long, and its steps in plain words.
    /// Links are relative to /status/incidents/{id}, so the page works behind any base path.</summary>
    public static string RenderIncident(StatusIncidentPage page, string title)
    {
        var state = page.Ongoing ? "red" : "green";
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<title>").Append(Encode($"{page.Flow}: incident · {title}")).Append("</title><style>").Append(Css).Append("</style></head><body>")
            .Append("<header><h1>").Append(Encode(page.Flow)).Append("</h1>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"overall bg-{state}\" id=\"state\">{(page.Ongoing ? "Ongoing" : "Resolved")}</div>")
            .Append("</header><main><a class=\"back\" href=\"../../status\">← ").Append(Encode(title)).Append("</a>")
            .Append("<dl class=\"facts\" id=\"facts\">")
            .Append("<dt>Affected</dt><dd>").Append(Encode(page.Flow)).Append("</dd>")
            .Append("<dt>Impact</dt><dd>").Append(Encode(page.Impact)).Append("</dd>")
            .Append("<dt>Started</dt><dd>").Append(When(page.Start)).Append("</dd>")
            .Append("<dt>Ended</dt><dd>").Append(page.End is { } end ? When(end) : "not yet: we are on it").Append("</dd>")
            .Append("<dt>Duration</dt><dd>").Append(Encode(IncidentStory.Duration(page.Duration) + (page.Ongoing ? " so far" : ""))).Append("</dd>")
            .Append("</dl><h2>What happened</h2><ol class=\"steps\" id=\"steps\">");
        foreach (var step in page.Steps)
        {
            html.Append("<li><time datetime=\"").Append(step.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).Append("\">")
                .Append(When(step.At)).Append("</time>").Append(Encode(step.Text)).Append("</li>");
        }

        return html.Append("</ol></main></body></html>").ToString();
    }

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

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
