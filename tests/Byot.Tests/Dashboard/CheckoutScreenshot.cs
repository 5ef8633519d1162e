namespace Byot.Tests.Dashboard;

/// <summary>A real 48×32 PNG (red and white squares) that test scripts write to /artifacts with <c>base64 -d</c>.</summary>
internal static class CheckoutScreenshot
{
    public const string Base64 = "iVBORw0KGgoAAAANSUhEUgAAADAAAAAgCAIAAADbtmxLAAAAQ0lEQVR42u3WsQ0AIAgEQJaxd/9NnEYXkNJY/BHKT7gKqDXHtXdTr/MFBAQUB/o1uMsDAQHlgWxqICAg/5DTAQQUDjriV4G1zNTC5wAAAABJRU5ErkJggg==";

    public const int Width = 48;
}
