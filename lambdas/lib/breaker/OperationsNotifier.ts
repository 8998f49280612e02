import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { OperationsConfigurationError } from './errors';

/** Delivers one message to the operators (SNS on AWS; the local outbox when run locally). */
export interface OperationsNotifier {
  publish(input: PublishCommandInput): Promise<void>;
  /** The operations topic messages are published to. */
  readonly topicArn: string;
}

const OperationsEnvironmentSchema = z.object({
  OPERATIONS_TOPIC_ARN: z.string({ error: 'OPERATIONS_TOPIC_ARN is not set' }).startsWith('arn:', 'OPERATIONS_TOPIC_ARN must be an SNS topic ARN (arn:aws:sns:…)'),
});

/**
 * The operations notifier of a Lambda: SNS with the SDK's defaults, on `OPERATIONS_TOPIC_ARN`.
 * @throws OperationsConfigurationError when the variable is missing or not an ARN
 * @example
 *   const operations = operationsNotifierFromEnvironment(process.env);
 *   await operations.publish({ TopicArn: operations.topicArn, Subject: '…', Message: '…' });
 */
export function operationsNotifierFromEnvironment(env: NodeJS.ProcessEnv = process.env): OperationsNotifier {
  const parsed = OperationsEnvironmentSchema.safeParse(env);
  if (!parsed.success) throw new OperationsConfigurationError(parsed.error.issues.map((i) => i.message).join('; '));
  const sns = new SNSClient({});
  return {
    topicArn: parsed.data.OPERATIONS_TOPIC_ARN,
    publish: async (input) => {
      await sns.send(new PublishCommand(input));
    },
  };
}

let fromEnvironment: OperationsNotifier | undefined;

/**
 * The operations notifier of these deps: the injected one (tests, the local runtime), else built
 * once from the Lambda environment.
 * @example
 *   await operationsNotifierOf(deps).publish(message);
 */
export function operationsNotifierOf(deps: { readonly operations?: OperationsNotifier }): OperationsNotifier {
  if (deps.operations) return deps.operations;
  fromEnvironment ??= operationsNotifierFromEnvironment();
  return fromEnvironment;
}
