namespace Byot.Tests.Alerts;

/// <summary>What an <see cref="HttpReceiver"/> answers to one request.</summary>
public sealed record Reply(int Status, string Body = "", TimeSpan Delay = default, int? RetryAfterSeconds = null);
