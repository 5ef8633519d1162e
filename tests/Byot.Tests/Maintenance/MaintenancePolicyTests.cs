using Byot.Shared.Maintenance;
using Xunit;

namespace Byot.Tests.Maintenance;

/// <summary>Which window is in force for a test, in memory.</summary>
public sealed class MaintenancePolicyTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_window_in_force_is_of_the_mode_asked_covers_the_test_and_is_the_one_that_started_first()
    {
        var test = Guid.NewGuid();
        var later = Window("later", MaintenanceWindow.Pause, At.AddHours(-1), ["team:ops"]);
        var earlier = Window("earlier", MaintenanceWindow.Pause, At.AddHours(-2), ["team:ops"]);
        var mute = Window("mute", MaintenanceWindow.Mute, At.AddHours(-3), ["team:ops"]);
        var elsewhere = Window("elsewhere", MaintenanceWindow.Pause, At.AddHours(-4), ["team:web"]);
        var over = Window("over", MaintenanceWindow.Pause, At.AddHours(-9), ["team:ops"]);

        Assert.Equal("earlier", MaintenancePolicy.InForce([later, earlier, mute, elsewhere, over], MaintenanceWindow.Pause, test, ["team:ops"], At)?.Name);
        Assert.Equal("mute", MaintenancePolicy.InForce([later, earlier, mute], MaintenanceWindow.Mute, test, ["team:ops"], At)?.Name);
        Assert.Null(MaintenancePolicy.InForce([later, earlier], MaintenanceWindow.Pause, test, ["team:search"], At));
        Assert.Null(MaintenancePolicy.InForce([earlier], MaintenanceWindow.Pause, test, ["team:ops"], At.AddHours(5)));
    }

    [Fact]
    public void A_mute_holds_until_the_last_of_the_windows_that_follow_on_without_a_gap()
    {
        var test = Guid.NewGuid();
        var first = Window("first", MaintenanceWindow.Mute, At.AddHours(-1), ["team:ops"]);
        var second = Window("second", MaintenanceWindow.Mute, At.AddHours(3), ["team:ops"]);
        var apart = Window("apart", MaintenanceWindow.Mute, At.AddHours(8), ["team:ops"]);

        Assert.Equal(new MuteHold("first", At.AddHours(7)), MaintenancePolicy.MutedUntil([first, second, apart], test, ["team:ops"], At));
        Assert.Null(MaintenancePolicy.MutedUntil([first, second], test, ["team:web"], At));
        Assert.Null(MaintenancePolicy.MutedUntil([Window("pause", MaintenanceWindow.Pause, At, ["team:ops"])], test, ["team:ops"], At));
    }

    private static MaintenanceWindow Window(string name, string mode, DateTimeOffset start, string[] tags) =>
        new(Guid.NewGuid(), name, mode, start, start.AddHours(4), null, null, null, null, "UTC", [], tags, start, start);
}
