using System.Text.Json.Nodes;
using Byot.Shared.Alerts;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>A test's name and its log lines are the test author's text: in every channel they are shown, never
/// interpreted (no forged Slack mention or link, no Teams link, no extra mail header or terminal escape).</summary>
public sealed class AlertEscapingTests
{
    private const string HostileName = "checkout <!channel> & <https://evil.example|click me> [pay](https://evil.example) *now*";

    private static readonly RenderedAlert Alert = new(
        $"[P1] {HostileName} is failing\r\nBcc: victim@example.com",
        $"Test: {HostileName} (P1)\nLast run: failed https://byot.example/runs/1",
        "https://byot.example/runs/1",
        ["\u001b[31mERROR\u001b[0m <@U123> & <!here>", "bidi \u202Egnp.exe\u202C"]);

    [Fact]
    public void Slack_escapes_ampersand_and_angle_brackets_everywhere()
    {
        var text = SlackSender.Body(Alert)["text"]!.GetValue<string>();

        Assert.DoesNotContain("<", text, StringComparison.Ordinal);
        Assert.DoesNotContain(">", text, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt; &amp; &lt;https://evil.example|click me&gt;", text, StringComparison.Ordinal);
        Assert.Contains("&lt;@U123&gt; &amp; &lt;!here&gt;", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u202E', text);
        Assert.DoesNotContain('\r', text);
    }

    [Fact]
    public void Teams_puts_test_text_only_in_text_runs_where_no_markdown_is_rendered()
    {
        var body = TeamsSender.Body(Alert);
        var blocks = body["attachments"]![0]!["content"]!["body"]!.AsArray().Select(b => b!.AsObject()).ToList();
        var runs = blocks.Where(b => b["type"]!.GetValue<string>() == "RichTextBlock")
            .Select(b => b["inlines"]![0]!).ToList();
        var markdown = blocks.Where(b => b["type"]!.GetValue<string>() == "TextBlock").Select(b => b["text"]!.GetValue<string>()).ToList();

        Assert.All(runs, r => Assert.Equal("TextRun", r["type"]!.GetValue<string>()));
        Assert.Contains("[pay](https://evil.example) *now*", runs[0]["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("<!channel>", runs[1]["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("<@U123>", runs[2]["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(runs, r => Assert.DoesNotContain('\u001b', r["text"]!.GetValue<string>()));

        // The only Markdown-rendering blocks carry BYOT's own fixed words, nothing a test wrote.
        Assert.Equal(["Last log lines:"], markdown);

        // The run link is ours and stays a working URL in the card's action.
        Assert.Equal("https://byot.example/runs/1", body["attachments"]![0]!["content"]!["actions"]![0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void Email_subjects_are_one_line_and_bodies_carry_no_control_characters()
    {
        var subject = ChannelText.MailSubject(Alert.Title);
        var body = EmailSender.Body(Alert);

        Assert.DoesNotContain('\n', subject);
        Assert.DoesNotContain('\r', subject);
        Assert.Contains("Bcc: victim@example.com", subject, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', body);
        Assert.DoesNotContain('\u202E', body);
        Assert.Contains("[31mERROR[0m", body, StringComparison.Ordinal);
        Assert.Contains("Last log lines:", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_names_pass_through_unchanged_in_slack()
    {
        var plain = new RenderedAlert("[P2] checkout is failing", "Test: checkout (P2)", null, ["ok line"]);

        Assert.Equal("*[P2] checkout is failing*\nTest: checkout (P2)\nLast log lines:\n```\nok line\n```", SlackSender.Body(plain)["text"]!.GetValue<string>());
        Assert.IsType<JsonObject>(TeamsSender.Body(plain));
    }
}
