namespace Byot.Shared.Maintenance;

/// <summary>A mute window holding a test's notifications: until when, and the window's name.</summary>
public sealed record MuteHold(string WindowName, DateTimeOffset Until);
