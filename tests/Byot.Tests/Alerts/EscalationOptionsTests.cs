using System.ComponentModel.DataAnnotations;
using Byot.Shared.Alerts;
using Byot.Shared.Options;
using Byot.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>Escalation stages and the new channels as settings: bound from the keys the docs give, and every mistake
/// refused at start with the key named and what to do.</summary>
public sealed class EscalationOptionsTests
{
    [Fact]
    public void Stages_bind_from_indexed_keys_per_severity()
    {
        var options = Bind(new()
        {
            ["Channels:chat:Type"] = "Slack",
            ["Channels:chat:Url"] = "https://hooks.example.test/a",
            ["Channels:boss:Type"] = "Slack",
            ["Channels:boss:Url"] = "https://hooks.example.test/b",
            ["P0:Channels"] = "chat",
            ["P0:Escalation:0:AfterMinutes"] = "15",
            ["P0:Escalation:0:Channels"] = "boss",
            ["P0:Escalation:1:AfterMinutes"] = "60",
            ["P0:Escalation:1:Channels"] = "boss, chat",
        });

        Assert.Equal([15, 60], options.P0.Escalation.Select(s => s.AfterMinutes));
        Assert.Equal(["boss", "chat"], options.P0.Escalation[1].ChannelNames);
        Assert.Empty(options.P1.Escalation);
        Assert.Empty(Problems(options));
    }

    [Fact]
    public void Decreasing_delays_unknown_or_missing_channels_and_a_digest_route_with_stages_are_refused_naming_the_key()
    {
        var options = Bind(new()
        {
            ["Channels:chat:Type"] = "Slack",
            ["Channels:chat:Url"] = "https://hooks.example.test/a",
            ["P0:Channels"] = "chat",
            ["P0:Escalation:0:AfterMinutes"] = "30",
            ["P0:Escalation:0:Channels"] = "chat",
            ["P0:Escalation:1:AfterMinutes"] = "15",
            ["P0:Escalation:1:Channels"] = "boss",
            ["P1:Escalation:0:AfterMinutes"] = "0",
            ["P1:Escalation:0:Channels"] = "",
            ["P3:Escalation:0:AfterMinutes"] = "10",
            ["P3:Escalation:0:Channels"] = "chat",
        });

        var problems = Problems(options);
        Assert.Contains("Byot:Alerts:P0:Escalation:1:AfterMinutes must be larger than the previous stage's (30), not 15: delays count from the first page and increase stage by stage.", problems);
        Assert.Contains("Byot:Alerts:P0:Escalation:1:Channels names 'boss', which is not under Byot:Alerts:Channels.", problems);
        Assert.Contains("Byot:Alerts:P1:Escalation:0:AfterMinutes must be larger than 0, not 0: delays count from the first page and increase stage by stage.", problems);
        Assert.Contains("Byot:Alerts:P1:Escalation:0:Channels is empty; name the channels this stage notifies.", problems);
        Assert.Contains("Byot:Alerts:P3:Escalation:0: a digest-only route pages nobody, so it has nothing to escalate; remove the stage or DigestOnly.", problems);
        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void Opsgenie_needs_its_key_and_a_known_region_and_Alertmanager_a_url_and_neither_takes_the_digest()
    {
        var options = Bind(new()
        {
            ["Channels:og:Type"] = "Opsgenie",
            ["Channels:og:Region"] = "APAC",
            ["Channels:am:Type"] = "Alertmanager",
            ["Digest:Channels"] = "og",
        });

        var problems = Problems(options);
        Assert.Contains("Byot:Alerts:Channels:og: ApiKey is required for Opsgenie (the API integration's key).", problems);
        Assert.Contains("Byot:Alerts:Channels:og: Region must be 'US' or 'EU', not 'APAC'.", problems);
        Assert.Contains("Byot:Alerts:Channels:am: Url must be an absolute URL.", problems);
        Assert.Contains("Byot:Alerts:Digest:Channels names 'og', an Opsgenie channel; a digest goes to chat, email or a webhook.", problems);
        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public void A_bad_stage_refuses_the_start_of_the_app_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Byot:Alerts:Channels:chat:Type"] = "Slack",
            ["Byot:Alerts:Channels:chat:Url"] = "https://hooks.example.test/a",
            ["Byot:Alerts:P1:Escalation:0:AfterMinutes"] = "20",
            ["Byot:Alerts:P1:Escalation:0:Channels"] = "pager",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddByotShared(configuration).BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AlertingOptions>>().Value);
        Assert.Contains("Byot:Alerts:P1:Escalation:0:Channels names 'pager', which is not under Byot:Alerts:Channels.", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P0", "P1")]
    [InlineData("P1", "P2")]
    [InlineData("P2", "P3")]
    [InlineData("P3", "P4")]
    public void Severity_maps_to_the_Opsgenie_priority_one_step_down(string severity, string priority) =>
        Assert.Equal(priority, OpsgenieSender.Priority(severity));

    [Fact]
    public void The_Opsgenie_region_picks_the_base_url_unless_a_url_is_set()
    {
        Assert.Equal("https://api.opsgenie.com", OpsgenieSender.BaseUrl(new AlertChannelOptions { Type = AlertChannelType.Opsgenie }));
        Assert.Equal("https://api.eu.opsgenie.com", OpsgenieSender.BaseUrl(new AlertChannelOptions { Type = AlertChannelType.Opsgenie, Region = "EU" }));
        Assert.Equal("http://127.0.0.1:9/og", OpsgenieSender.BaseUrl(new AlertChannelOptions { Type = AlertChannelType.Opsgenie, Url = "http://127.0.0.1:9/og/" }));
    }

    private static AlertingOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new AlertingOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Bind(options);
        return options;
    }

    private static List<string> Problems(AlertingOptions options)
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);
        return [.. problems.Select(p => p.ErrorMessage!)];
    }
}
