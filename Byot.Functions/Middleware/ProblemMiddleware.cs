using Byot.Shared.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Byot.Functions.Middleware;

/// <summary>Catches what an HTTP function throws and answers with problem+json instead of a bare 500.</summary>
internal sealed partial class ProblemMiddleware(ILogger<ProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.GetHttpContext() is { } http)
        {
            var cause = exception is AggregateException { InnerException: { } inner } ? inner : exception;
            if (cause is not DomainException)
            {
                LogUnexpected(cause, context.FunctionDefinition.Name);
            }

            context.GetInvocationResult().Value = ProblemResults.From(cause, http.Request.Path);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed")]
    private partial void LogUnexpected(Exception exception, string function);
}
