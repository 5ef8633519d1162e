namespace Byot.Shared.Scheduling;

public sealed record SweepResult(int Enqueued, int Requeued, int ClosedAsInfraError);
