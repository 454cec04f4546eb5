// `inspect IMAGE`: what a user needs before building — the platforms there are, and for the chosen one the
// config the generated /init will run and the layers that will be applied.
import { openSource, type SourceOptions } from './image/source.ts';
import { parsePlatform } from './image/platform.ts';
import { formatPlatform, type ImageConfig, type ImageSource, type Platform } from './image/types.ts';

export interface Inspection {
  reference: string;
  platforms: Platform[];
  platform: Platform;
  digest: string | null;
  config: ImageConfig;
  layers: { digest: string; size: number; mediaType: string }[];
}

export async function inspect(reference: string, platform: string | undefined, opts: SourceOptions): Promise<Inspection> {
  const source = await openSource(reference, opts);
  try {
    return await describe(source, platform);
  } finally {
    await source.close?.();
  }
}

async function describe(source: ImageSource, platform: string | undefined): Promise<Inspection> {
  const platforms = await source.platforms();
  const image = await source.resolve(parsePlatform(platform));
  return {
    reference: image.reference,
    platforms,
    platform: image.platform,
    digest: image.digest ?? null,
    config: image.config,
    layers: image.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
  };
}

const list = (v: string[] | null | undefined): string => (v && v.length ? JSON.stringify(v) : '(none)');

export function formatInspection(i: Inspection): string {
  const lines = [
    `Reference:  ${i.reference}`,
    `Platforms:  ${i.platforms.map(formatPlatform).join(', ') || '(none)'}`,
    `Platform:   ${formatPlatform(i.platform)}${i.digest ? `  ${i.digest}` : ''}`,
    `Entrypoint: ${list(i.config.Entrypoint)}`,
    `Cmd:        ${list(i.config.Cmd)}`,
    `WorkingDir: ${i.config.WorkingDir || '(none)'}`,
    `Env:`,
    ...(i.config.Env ?? []).map((e) => `  ${e}`),
    `Layers (oldest first):`,
    ...i.layers.map((l, n) => `  ${String(n + 1).padStart(2)}. ${l.digest}  ${l.size} bytes  ${l.mediaType}`),
  ];
  return lines.join('\n') + '\n';
}
