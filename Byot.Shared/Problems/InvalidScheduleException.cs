namespace Byot.Shared.Problems;

/// <summary>A schedule or its time zone does not parse. Its own kind so that the scheduler can skip a stored
/// schedule that no longer parses without swallowing anything else.</summary>
public sealed class InvalidScheduleException(string field, string detail)
    : InvalidRequestException("invalid-field", $"Invalid field '{field}'", detail, field);
