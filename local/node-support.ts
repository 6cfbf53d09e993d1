/**
 * Node.js versions on developer machines (README, "Node.js versions"). The project runs on Node 20.19+
 * and on 22 and 24; Lambda runs Node 24. On Node 20 the AWS SDK for JavaScript prints, once per
 * process, that its releases published after the first week of January 2027 will need Node 22. The
 * SDK versions here are pinned (package.json) and work on Node 20, so the notice is about an upgrade
 * this project has not made: it is silenced for the sandbox and the scripts that import this module.
 * Upgrading the SDK past that date means raising `engines.node` to 22 first.
 */
const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 22) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
