namespace Byot.Shared.Status;

/// <summary>One step of an incident as a business reader follows it: when, and what happened, in plain words.</summary>
public sealed record StatusIncidentStep(DateTimeOffset At, string Text);
