namespace Byot.Shared.Alerts;

/// <summary>What one delivery pass did.</summary>
public sealed record DeliveryPass(int Reminders, int Sent, int Retrying, int Failed);
