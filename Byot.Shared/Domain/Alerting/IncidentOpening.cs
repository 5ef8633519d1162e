namespace Byot.Shared.Domain.Alerting;

/// <summary>Open <paramref name="Incident"/> and record its trigger event, naming <paramref name="Run"/> and
/// <paramref name="Detail"/>. It may not take (one is already open): then nothing is recorded and the test's state
/// keeps no open incident.</summary>
public sealed record IncidentOpening(Incident Incident, AlertRun? Run, string? Detail) : IncidentStep;
