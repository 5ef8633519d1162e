using System.ComponentModel.DataAnnotations;
using Byot.Shared.Alerts;
using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>The pure parts of alerting, without services: business hours, backoff, flakiness, signatures, options.</summary>
public sealed class AlertUnitTests
{
    [Theory]
    // Berlin is UTC+1 in winter: 09:00-17:00 local is 08:00-16:00 UTC.
    [InlineData("2026-11-23T08:30:00Z", "2026-11-23T08:30:00Z")] // Monday 09:30 local: open
    [InlineData("2026-11-23T07:59:59Z", "2026-11-23T08:00:00Z")] // Monday 08:59:59 local: opens in a second
    [InlineData("2026-11-23T16:00:00Z", "2026-11-24T08:00:00Z")] // Monday 17:00 local: closed until Tuesday
    [InlineData("2026-11-27T18:00:00Z", "2026-11-30T08:00:00Z")] // Friday evening: Monday
    [InlineData("2026-11-28T10:00:00Z", "2026-11-30T08:00:00Z")] // Saturday
    [InlineData("2026-03-27T20:00:00Z", "2026-03-30T07:00:00Z")] // across the switch to summer time (UTC+2)
    public void Business_hours_open_in_their_own_time_zone(string at, string expected)
    {
        var hours = BusinessHours.Create(new BusinessHoursOptions { TimeZone = "Europe/Berlin" });
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            hours.NextOpen(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Backoff_doubles_from_the_base_respects_Retry_After_and_stops_at_the_cap()
    {
        var delivery = new AlertDeliveryOptions { BaseDelaySeconds = 15, MaxDelaySeconds = 300 };
        Assert.Equal([15, 30, 60, 120, 240, 300, 300], Enumerable.Range(1, 7).Select(a => AlertDeliveryService.Backoff(delivery, a, null).TotalSeconds));
        Assert.Equal(90, AlertDeliveryService.Backoff(delivery, 1, TimeSpan.FromSeconds(90)).TotalSeconds);
        Assert.Equal(30, AlertDeliveryService.Backoff(delivery, 2, TimeSpan.FromSeconds(5)).TotalSeconds);
        Assert.Equal(300, AlertDeliveryService.Backoff(delivery, 1, TimeSpan.FromHours(5)).TotalSeconds);
        Assert.Equal(300, AlertDeliveryService.Backoff(delivery, 10_000, null).TotalSeconds);
    }

    [Fact]
    public void Flakiness_counts_flips_and_passes_that_follow_a_failure_only_on_retry()
    {
        static CountedResult F(string trigger = RunTrigger.Schedule) => new(true, trigger);
        static CountedResult P(string trigger = RunTrigger.Schedule) => new(false, trigger);

        Assert.Equal((0, false), FlakyRule.Count([F(), F(), F()]));
        Assert.Equal((1, false), FlakyRule.Count([P(), P(), F(), F()]));
        Assert.Equal((4, false), FlakyRule.Count([P(), F(), P(), F(), P()]));
        Assert.Equal((1, true), FlakyRule.Count([P(RunTrigger.Retry), F()]));
        Assert.Equal((0, false), FlakyRule.Count([P(RunTrigger.Retry), P()]));
    }

    [Fact]
    public void Webhook_signature_is_HMAC_SHA256_over_timestamp_dot_body_as_openssl_computes_it()
    {
        // printf '%s' '1700000000.{"event":"trigger"}' | openssl dgst -sha256 -hmac 'whsec-known'
        Assert.Equal("sha256=aa258e8eac68c3ed8756648f406a99f051e6881dd434bfa70c5cd4d8e2378606",
            WebhookSender.Sign("whsec-known", "1700000000", """{"event":"trigger"}"""u8.ToArray()));
    }

    [Fact]
    public void Options_name_every_problem_at_start()
    {
        var options = new AlertingOptions
        {
            Channels = new(StringComparer.Ordinal)
            {
                ["pd"] = new() { Type = AlertChannelType.PagerDuty, Urgency = "medium" },
                ["hook"] = new() { Type = AlertChannelType.Webhook, Url = "not a url" },
                ["mail"] = new() { Type = AlertChannelType.Email, SmtpHost = "smtp.example.test" },
            },
            P0 = new() { Channels = "pd,slack" },
            Digest = new() { Channels = "pd" },
            BusinessHours = new() { TimeZone = "Mars/Olympus", Start = "18:00", End = "09:00" },
        };

        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);
        var messages = problems.Select(p => p.ErrorMessage!).ToList();

        Assert.Contains("Byot:Alerts:Channels:pd: RoutingKey is required for PagerDuty.", messages);
        Assert.Contains("Byot:Alerts:Channels:pd: Urgency must be 'high' or 'low'.", messages);
        Assert.Contains("Byot:Alerts:Channels:hook: Url must be an absolute URL.", messages);
        Assert.Contains("Byot:Alerts:Channels:hook: Secret is required for a signed webhook.", messages);
        Assert.Contains("Byot:Alerts:Channels:mail: Email needs SmtpHost, SmtpPort (1-65535), From and To.", messages);
        Assert.Contains("Byot:Alerts:P0:Channels names 'slack', which is not under Byot:Alerts:Channels.", messages);
        Assert.Contains("Byot:Alerts:Digest:Channels names 'pd', a PagerDuty channel; a digest goes to chat, email or a webhook.", messages);
        Assert.Contains("Byot:Alerts:BusinessHours: TimeZone 'Mars/Olympus' is not a known time zone.", messages);
        Assert.Equal(8, messages.Count);

        var valid = new AlertingOptions();
        Assert.True(Validator.TryValidateObject(valid, new ValidationContext(valid), [], validateAllProperties: true));
    }
}
