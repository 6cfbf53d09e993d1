import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { redact } from './redact.ts';

/**
 * Powertools' structured JSON layout, with every attribute passed through `redact`: no national
 * number, token or task token reaches CloudWatch, whoever logs what.
 */
class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base = {
      level: attributes.logLevel,
      message: redact(attributes.message),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: base as LogAttributes }).addAttributes(
      redact(additional) as LogAttributes,
    );
  }
}

/** The module-scope logger of a function; the service name comes from POWERTOOLS_SERVICE_NAME. */
export function createLogger(serviceName?: string): Logger {
  return new Logger({ logFormatter: new RedactingLogFormatter(), ...(serviceName ? { serviceName } : {}) });
}
