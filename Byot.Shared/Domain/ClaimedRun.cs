namespace Byot.Shared.Domain;

/// <summary>A run a runner now holds the lease on, with everything needed to execute it.</summary>
public sealed record ClaimedRun(TestRun Run, TestDefinition Test, TestArtifact Artifact);
