using Byot.Shared.Domain;

namespace Byot.Shared.Alerts;

/// <summary>Makes text a test controls (its name, its log lines, an error it caused) inert in each channel's markup,
/// so a name like <c>&lt;!channel&gt;</c> or <c>[click](https://evil)</c> is shown, never acted on.</summary>
public static class ChannelText
{
    /// <summary>Slack mrkdwn: the three characters Slack's formatting rules ask to escape (&amp;, &lt;, &gt;); that
    /// alone stops forged links and @channel / @here mentions.</summary>
    public static string Slack(string text) =>
        ControlCharacters.Strip(text, keepNewlines: true).Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Teams: text goes into Adaptive Card <c>TextRun</c>s, which render no Markdown at all (a TextBlock would
    /// turn <c>[click](https://evil)</c> into a link), so only control characters need to go.</summary>
    public static string Teams(string text) => ControlCharacters.Strip(text, keepNewlines: true);

    /// <summary>Plain-text mail body: no control characters (a terminal escape or a bare CR in a quoted log line).</summary>
    public static string MailBody(string text) => ControlCharacters.Strip(text.Replace("\r\n", "\n", StringComparison.Ordinal), keepNewlines: true);

    /// <summary>A mail subject is one line: a name with CR/LF can never add a header.</summary>
    public static string MailSubject(string text) => ControlCharacters.Strip(text.Replace('\n', ' '));
}
