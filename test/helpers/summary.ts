// Test helper for job summaries: the Mermaid blocks of a Markdown text found as CommonMark finds fenced
// code blocks, each parsed by Mermaid's own parser (@mermaid-js/parser, what mermaid 11 renders pies with).
import { parse } from '@mermaid-js/parser';

export interface ParsedPie {
  title: string | undefined;
  sections: { label: string; value: number }[];
}

/**
 * The text of every ```mermaid block. CommonMark's rule: an opening fence of N ≥ 3 backticks (indented by
 * at most three spaces) runs to the first line of at least N backticks and nothing else, or to the end.
 */
export function mermaidBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,})\s*([^`\s]*)[^`]*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]!.length >= fence) break;
      body.push(lines[j]!);
    }
    if (open[2] === 'mermaid') blocks.push(body.join('\n') + '\n');
    i = j;
  }
  return blocks;
}

/** Parses a pie chart with Mermaid's parser; throws as Mermaid would on text it cannot draw. */
export async function parsePie(text: string): Promise<ParsedPie> {
  const ast = await parse('pie', text);
  return { title: ast.title, sections: ast.sections.map((s) => ({ label: s.label, value: s.value })) };
}

/** Every pie chart of a summary, parsed. */
export const summaryPies = (markdown: string): Promise<ParsedPie[]> => Promise.all(mermaidBlocks(markdown).map(parsePie));
