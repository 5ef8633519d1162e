using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Byot.Shared.Domain;

namespace Byot.Shared.Options;

/// <summary>Alerting: channels, the route of each severity, business hours, the operator route, digest and delivery.
/// Checked at start: every route names configured channels, and every channel has what its type needs.</summary>
public sealed class AlertingOptions : IValidatableObject
{
    public const string Section = "Byot:Alerts";

    /// <summary>Where people open BYOT; messages link to <c>{PublicBaseUrl}/runs/{id}</c>.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://localhost:7071";

    /// <summary>Log lines quoted from the failing run's log.</summary>
    [Range(0, 200)]
    public int LogLines { get; set; } = 10;

    /// <summary>Named channels. Names match case-insensitively, as configuration keys do.</summary>
    public Dictionary<string, AlertChannelOptions> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public SeverityRouteOptions P0 { get; set; } = new() { ReminderMinutes = 30 };

    public SeverityRouteOptions P1 { get; set; } = new() { ReminderMinutes = 60 };

    public SeverityRouteOptions P2 { get; set; } = new() { BusinessHoursOnly = true, ReminderMinutes = 24 * 60 };

    public SeverityRouteOptions P3 { get; set; } = new() { DigestOnly = true };

    public OperatorRouteOptions Operator { get; set; } = new();

    public BusinessHoursOptions BusinessHours { get; set; } = new();

    public DigestOptions Digest { get; set; } = new();

    public AlertDeliveryOptions Delivery { get; set; } = new();

    public FlakyOptions Flaky { get; set; } = new();

    /// <summary>Extra channels for tests carrying a tag, added to the severity route's.</summary>
    public List<TagRouteOptions> TagRoutes { get; set; } = [];

    public SeverityRouteOptions Route(Severity severity) => severity switch
    {
        Severity.P0 => P0,
        Severity.P1 => P1,
        Severity.P2 => P2,
        _ => P3,
    };

    /// <summary>The channels an incident of a test with this severity and these tags pages: the severity route's,
    /// then those of every tag route that applies, each channel once. A digest-only severity pages nobody.</summary>
    public IReadOnlyList<string> RouteChannels(Severity severity, IReadOnlyCollection<string> testTags)
    {
        var route = Route(severity);
        if (route.DigestOnly)
        {
            return [];
        }

        return [.. route.ChannelNames
            .Concat(TagRoutes.Where(t => t.Applies(severity, testTags)).SelectMany(t => t.ChannelNames))
            .Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, channel) in Channels)
        {
            foreach (var problem in ChannelProblems(channel))
            {
                yield return new ValidationResult($"Byot:Alerts:Channels:{name}: {problem}");
            }
        }

        var routes = new (string Name, IReadOnlyList<string> Channels)[]
        {
            ("P0", P0.ChannelNames), ("P1", P1.ChannelNames), ("P2", P2.ChannelNames), ("P3", P3.ChannelNames),
            ("Operator", Operator.ChannelNames), ("Digest", Digest.ChannelNames),
        };
        foreach (var (route, names) in routes)
        {
            foreach (var missing in names.Where(n => !Channels.ContainsKey(n)))
            {
                yield return new ValidationResult($"Byot:Alerts:{route}:Channels names '{missing}', which is not under Byot:Alerts:Channels.");
            }
        }

        foreach (var name in Digest.ChannelNames.Where(n => Channels.TryGetValue(n, out var c) && IsPager(c.Type)))
        {
            yield return new ValidationResult($"Byot:Alerts:Digest:Channels names '{name}', {(Channels[name].Type == AlertChannelType.Opsgenie ? "an" : "a")} {Channels[name].Type} channel; a digest goes to chat, email or a webhook.");
        }

        for (var i = 0; i < TagRoutes.Count; i++)
        {
            foreach (var problem in TagRouteProblems(i, TagRoutes[i]))
            {
                yield return new ValidationResult(problem);
            }
        }

        foreach (var (route, value) in new[] { ("P0", P0), ("P1", P1), ("P2", P2), ("P3", P3) })
        {
            foreach (var problem in EscalationProblems(route, value))
            {
                yield return new ValidationResult(problem);
            }

            if (value.ReminderMinutes < 0 || value.ResolveAfterPasses < 1)
            {
                yield return new ValidationResult($"Byot:Alerts:{route}: ReminderMinutes must be >= 0 and ResolveAfterPasses >= 1.");
            }
        }

        if (Operator.InfraErrorBurst < 1 || Operator.InfraErrorWindowMinutes < 1)
        {
            yield return new ValidationResult("Byot:Alerts:Operator: InfraErrorBurst and InfraErrorWindowMinutes must be >= 1.");
        }

        var d = Delivery;
        if (d.BatchSize < 1 || d.MaxAttempts < 1 || d.BaseDelaySeconds < 1 || d.MaxDelaySeconds < d.BaseDelaySeconds
            || d.TimeoutSeconds < 1 || d.InProcessRetries < 0 || d.InProcessRetryDelayMilliseconds < 1 || d.ClaimSeconds <= d.TimeoutSeconds)
        {
            yield return new ValidationResult("Byot:Alerts:Delivery: BatchSize, MaxAttempts, BaseDelaySeconds, TimeoutSeconds >= 1; MaxDelaySeconds >= BaseDelaySeconds; InProcessRetries >= 0; ClaimSeconds > TimeoutSeconds.");
        }

        foreach (var problem in Flaky.Problems())
        {
            yield return new ValidationResult(problem);
        }

        if (!Alerts.BusinessHours.TryCreate(BusinessHours, out _, out var error))
        {
            yield return new ValidationResult("Byot:Alerts:BusinessHours: " + error);
        }

        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Byot:Alerts:PublicBaseUrl must be an absolute URL.");
        }
    }

    /// <summary>Pagers (PagerDuty, Opsgenie) keep one alert per incident and re-notify through their own escalation
    /// policies: they get triggers, escalations and resolves, never reminders or digests.</summary>
    public static bool IsPager(AlertChannelType type) => type is AlertChannelType.PagerDuty or AlertChannelType.Opsgenie;

    internal static IReadOnlyList<string> SplitList(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Stages in order of increasing delay, each naming configured channels, on a route that pages.</summary>
    private IEnumerable<string> EscalationProblems(string route, SeverityRouteOptions value)
    {
        var previous = 0;
        for (var i = 0; i < value.Escalation.Count; i++)
        {
            var stage = value.Escalation[i];
            var key = string.Create(CultureInfo.InvariantCulture, $"Byot:Alerts:{route}:Escalation:{i}");
            if (value.DigestOnly)
            {
                yield return $"{key}: a digest-only route pages nobody, so it has nothing to escalate; remove the stage or DigestOnly.";
            }

            if (stage.AfterMinutes <= previous)
            {
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"{key}:AfterMinutes must be larger than {(i == 0 ? "0" : $"the previous stage's ({previous})")}, not {stage.AfterMinutes}: delays count from the first page and increase stage by stage.");
            }

            if (stage.ChannelNames.Count == 0)
            {
                yield return $"{key}:Channels is empty; name the channels this stage notifies.";
            }

            foreach (var missing in stage.ChannelNames.Where(n => !Channels.ContainsKey(n)))
            {
                yield return $"{key}:Channels names '{missing}', which is not under Byot:Alerts:Channels.";
            }

            previous = Math.Max(previous, stage.AfterMinutes);
        }
    }

    private IEnumerable<string> TagRouteProblems(int index, TagRouteOptions route)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"Byot:Alerts:TagRoutes:{index}");
        if (!Tags.IsValid(route.Tag))
        {
            yield return $"{key}:Tag '{route.Tag}' is not a tag: {Tags.Rule}.";
        }

        if (route.ChannelNames.Count == 0)
        {
            yield return $"{key}:Channels is empty; name the channels that hear of incidents of tests tagged '{route.Tag}'.";
        }

        foreach (var missing in route.ChannelNames.Where(n => !Channels.ContainsKey(n)))
        {
            yield return $"{key}:Channels names '{missing}', which is not under Byot:Alerts:Channels.";
        }

        foreach (var bad in route.SeverityNames.Where(s => !Enum.TryParse<Severity>(s, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || s.All(char.IsDigit)))
        {
            yield return $"{key}:Severities names '{bad}'; use P0, P1, P2 or P3, comma-separated, or leave it empty for all.";
        }
    }

    private static IEnumerable<string> ChannelProblems(AlertChannelOptions c)
    {
        if (c.Type is AlertChannelType.Slack or AlertChannelType.Teams or AlertChannelType.Webhook or AlertChannelType.Alertmanager
            && !Uri.TryCreate(c.Url, UriKind.Absolute, out _))
        {
            yield return "Url must be an absolute URL.";
        }

        if (c.Type == AlertChannelType.PagerDuty)
        {
            if (string.IsNullOrWhiteSpace(c.RoutingKey))
            {
                yield return "RoutingKey is required for PagerDuty.";
            }

            if (c.Url is not null && !Uri.TryCreate(c.Url, UriKind.Absolute, out _))
            {
                yield return "Url must be an absolute URL.";
            }

            if (c.Urgency is not ("high" or "low"))
            {
                yield return "Urgency must be 'high' or 'low'.";
            }
        }

        if (c.Type == AlertChannelType.Opsgenie)
        {
            if (string.IsNullOrWhiteSpace(c.ApiKey))
            {
                yield return "ApiKey is required for Opsgenie (the API integration's key).";
            }

            if (c.Region is not ("US" or "EU"))
            {
                yield return $"Region must be 'US' or 'EU', not '{c.Region}'.";
            }

            if (c.Url is not null && !Uri.TryCreate(c.Url, UriKind.Absolute, out _))
            {
                yield return "Url must be an absolute URL.";
            }
        }

        if (c.Type == AlertChannelType.Webhook && string.IsNullOrEmpty(c.Secret))
        {
            yield return "Secret is required for a signed webhook.";
        }

        if (c.Type == AlertChannelType.Email
            && (string.IsNullOrWhiteSpace(c.SmtpHost) || string.IsNullOrWhiteSpace(c.From) || SplitList(c.To).Count == 0 || c.SmtpPort is < 1 or > 65_535))
        {
            yield return "Email needs SmtpHost, SmtpPort (1-65535), From and To.";
        }

        if (c.TimeoutSeconds is < 1)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"TimeoutSeconds must be >= 1, not {c.TimeoutSeconds}.");
        }
    }
}
