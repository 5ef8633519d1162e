using System.ComponentModel.DataAnnotations;
using Byot.Shared;
using Byot.Shared.Domain;
using Byot.Shared.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>Tag routes as settings: bound from the keys the docs give, the channels they add chosen in memory, and
/// every mistake refused at start with the key named.</summary>
public sealed class TagRouteOptionsTests
{
    private static readonly Dictionary<string, string?> Chat = new()
    {
        ["Channels:oncall:Type"] = "Slack",
        ["Channels:oncall:Url"] = "https://hooks.example.test/a",
        ["Channels:payments-slack:Type"] = "Slack",
        ["Channels:payments-slack:Url"] = "https://hooks.example.test/b",
        ["P0:Channels"] = "oncall",
        ["P1:Channels"] = "oncall",
        ["P3:DigestOnly"] = "true",
    };

    [Fact]
    public void A_tag_route_adds_its_channels_to_the_severity_route_for_its_severities_only()
    {
        var options = Bind(new(Chat)
        {
            ["TagRoutes:0:Tag"] = "team:payments",
            ["TagRoutes:0:Channels"] = "payments-slack, ONCALL",
            ["TagRoutes:0:Severities"] = "p0",
        });

        Assert.Empty(Problems(options));
        Assert.Equal(["oncall", "payments-slack"], options.RouteChannels(Severity.P0, ["service:checkout", "team:payments"]));
        Assert.Equal(["oncall"], options.RouteChannels(Severity.P1, ["team:payments"]));
        Assert.Equal(["oncall"], options.RouteChannels(Severity.P0, ["team:payments-eu"]));
        Assert.Equal(["oncall"], options.RouteChannels(Severity.P0, []));
    }

    [Fact]
    public void Without_severities_a_tag_route_applies_to_every_paging_severity_but_a_digest_only_one_pages_nobody()
    {
        var options = Bind(new(Chat) { ["TagRoutes:0:Tag"] = "team:payments", ["TagRoutes:0:Channels"] = "payments-slack" });

        Assert.Equal(["oncall", "payments-slack"], options.RouteChannels(Severity.P1, ["team:payments"]));
        Assert.Equal(["payments-slack"], options.RouteChannels(Severity.P2, ["team:payments"]));
        Assert.Empty(options.RouteChannels(Severity.P3, ["team:payments"]));
    }

    [Fact]
    public void A_bad_tag_empty_or_unknown_channels_and_unknown_severities_are_refused_naming_the_key()
    {
        var options = Bind(new(Chat)
        {
            ["TagRoutes:0:Tag"] = "Team Payments",
            ["TagRoutes:0:Channels"] = "payments-slack",
            ["TagRoutes:1:Tag"] = "team:payments",
            ["TagRoutes:1:Channels"] = " , ",
            ["TagRoutes:2:Tag"] = "team:ops",
            ["TagRoutes:2:Channels"] = "ops-pager",
            ["TagRoutes:2:Severities"] = "P0,P7,1",
        });

        var problems = Problems(options);
        Assert.Contains($"Byot:Alerts:TagRoutes:0:Tag 'Team Payments' is not a tag: {Byot.Shared.Domain.Tags.Rule}.", problems);
        Assert.Contains("Byot:Alerts:TagRoutes:1:Channels is empty; name the channels that hear of incidents of tests tagged 'team:payments'.", problems);
        Assert.Contains("Byot:Alerts:TagRoutes:2:Channels names 'ops-pager', which is not under Byot:Alerts:Channels.", problems);
        Assert.Contains("Byot:Alerts:TagRoutes:2:Severities names 'P7'; use P0, P1, P2 or P3, comma-separated, or leave it empty for all.", problems);
        Assert.Contains("Byot:Alerts:TagRoutes:2:Severities names '1'; use P0, P1, P2 or P3, comma-separated, or leave it empty for all.", problems);
        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void A_tag_route_to_an_unknown_channel_refuses_the_start_of_the_app_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Byot:Alerts:Channels:chat:Type"] = "Slack",
            ["Byot:Alerts:Channels:chat:Url"] = "https://hooks.example.test/a",
            ["Byot:Alerts:TagRoutes:0:Tag"] = "team:payments",
            ["Byot:Alerts:TagRoutes:0:Channels"] = "payments-slack",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddByotShared(configuration).BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AlertingOptions>>().Value);
        Assert.Contains("Byot:Alerts:TagRoutes:0:Channels names 'payments-slack', which is not under Byot:Alerts:Channels.", refused.Message, StringComparison.Ordinal);
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
