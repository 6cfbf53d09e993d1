// Placeholder entry point so the CDK app can reference it; replaced by the identity trigger work.
export const handler = async <T>(event: T): Promise<T> => event;
