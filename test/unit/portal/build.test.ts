import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePortalBuild, portalSourceHash } from '#local/portal';

describe('portal build', () => {
  it('builds the portal into a folder named by the sources hash, with no inline script or style (CSP)', async () => {
    const dist = await ensurePortalBuild();

    expect(dist.endsWith(await portalSourceHash())).toBe(true);
    const html = await readFile(join(dist, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/assets\/[^"]+\.js"/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle="/);
    expect(html).toMatch(/<html lang="/);
    const assets = await readdir(join(dist, 'assets'));
    expect(assets.some((name) => name.endsWith('.css'))).toBe(true);
  }, 60_000);

  it('reuses the cached build when the sources did not change', async () => {
    const first = await ensurePortalBuild();
    const started = Date.now();

    const second = await ensurePortalBuild();

    expect(second).toBe(first);
    expect(Date.now() - started).toBeLessThan(1_000);
  }, 60_000);
});
