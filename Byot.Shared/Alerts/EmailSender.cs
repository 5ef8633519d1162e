using Byot.Shared.Domain.Alerting;
using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using System.Text;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Alerts;

/// <summary>Email over SMTP. 5xx replies (a refused mailbox, say) fail the notification; 4xx replies and network
/// trouble are retried by the outbox.</summary>
public sealed class EmailSender(IOptions<AlertingOptions> options) : INotificationSender
{
    private readonly AlertDeliveryOptions delivery = options.Value.Delivery;

    public AlertChannelType Type => AlertChannelType.Email;

    public async Task<DeliveryResult> SendAsync(AlertChannelOptions channel, OutboxNotification notification, RenderedAlert message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(channel.TimeoutSeconds ?? delivery.TimeoutSeconds));
        using var mail = new MailMessage { From = new MailAddress(channel.From!), Subject = ChannelText.MailSubject(message.Title), Body = Body(message), BodyEncoding = Encoding.UTF8, BodyTransferEncoding = System.Net.Mime.TransferEncoding.Base64, SubjectEncoding = Encoding.UTF8 };
        foreach (var to in AlertingOptions.SplitList(channel.To))
        {
            mail.To.Add(to);
        }

        mail.Headers.Add("X-Byot-Delivery", notification.Id.ToString("D"));
        using var client = new SmtpClient(channel.SmtpHost!, channel.SmtpPort) { EnableSsl = channel.SmtpSsl };
        if (channel.SmtpUser is not null)
        {
            client.Credentials = new NetworkCredential(channel.SmtpUser, channel.SmtpPassword);
        }

        try
        {
            await client.SendMailAsync(mail, timeout.Token);
            return DeliveryResult.Sent(250);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Transient(null, "The SMTP server did not finish within the timeout.");
        }
        catch (SmtpException e)
        {
            var code = StatusOf(e);
            return code is >= 500 and < 600
                ? DeliveryResult.Permanent(code, "SMTP refused: " + e.Message)
                : DeliveryResult.Transient(code, "SMTP failed: " + (e.InnerException?.Message ?? e.Message));
        }
        catch (SocketException e)
        {
            return DeliveryResult.Transient(null, "SMTP connection failed: " + e.Message);
        }
    }

    /// <summary>The server's reply code; when every recipient was refused, the code of their refusals.</summary>
    private static int? StatusOf(SmtpException e)
    {
        if (e is SmtpFailedRecipientsException { InnerExceptions.Length: > 0 } many)
        {
            var codes = many.InnerExceptions.Select(i => (int)i.StatusCode).ToList();
            return codes.All(c => c is >= 500 and < 600) ? codes[0] : codes.FirstOrDefault(c => c is < 500 or >= 600);
        }

        return (int)e.StatusCode > 0 ? (int)e.StatusCode : null;
    }

    public static string Body(RenderedAlert message)
    {
        var body = new StringBuilder().AppendLine(ChannelText.MailBody(message.Text));
        if (message.LogLines.Count > 0)
        {
            body.AppendLine().AppendLine("Last log lines:").AppendJoin('\n', message.LogLines.Select(ChannelText.MailBody)).AppendLine();
        }

        return body.ToString();
    }
}
