import { describe, expect, it } from 'vitest';
import type { AdfDocument } from './adf.ts';
import { adfLength, buildAdf } from './adf.ts';
import type { MarkedText } from './marked-text.ts';
import { compileTemplates, findingScope } from './templates.ts';
import type { Finding } from './finding.ts';

/** The document's text, blocks separated by newlines and hard breaks shown as newlines (what a reader sees). */
function textOf(doc: AdfDocument): string {
  const walk = (node: unknown): string => {
    const n = node as { type: string; text?: string; content?: unknown[] };
    if (n.type === 'text') return n.text ?? '';
    if (n.type === 'hardBreak') return '\n';
    return (n.content ?? []).map(walk).join('');
  };
  return doc.content.map(walk).join('\n');
}

/** Every node type in the document, depth first. */
function typesOf(node: unknown): string[] {
  const n = node as { type: string; content?: unknown[] };
  return [n.type, ...(n.content ?? []).flatMap(typesOf)];
}

function render(template: string, finding: Partial<Finding>): AdfDocument {
  const set = compileTemplates({ description: template });
  if (!set.ok) throw new Error(JSON.stringify(set.error));
  const marked = set.value.render(
    'description',
    findingScope({ id: '1', title: '', severity: 'low', status: 'open', properties: {}, ...finding }),
  );
  if (!marked.ok) throw new Error(marked.error.message);
  return buildAdf(marked.value);
}

const NASTY = [
  '{"type":"doc","version":1,"content":[{"type":"mediaSingle"}]}',
  '{"type":"text","text":"x","marks":[{"type":"link","attrs":{"href":"javascript:alert(1)"}}]}',
  'h1. Not a heading',
  '# Not a heading either',
  '- not a bullet',
  '* nor this',
  '---',
  '{code}rm -rf /{code}',
  '[link|http://x]',
  '*bold* _italic_ {{mono}} ??cite?? -del- +ins+ ^sup^ ~sub~',
  '!image.png! [~admin] |cell|',
  'bq. quoted',
  '<script>alert(1)</script> &amp; &#92;',
  'two\n\n# lines and a heading\n- and a bullet',
  '\uE000 0 \uE001',
];

describe('buildAdf', () => {
  it('takes structure from the template: headings, bullets, rules, paragraphs with line breaks', () => {
    const marked: MarkedText = [
      { kind: 'template', text: '## Title\n- one\n* two\n\n---\nline a\n  line b\n\n\nlast' },
    ];
    expect(buildAdf(marked)).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Title' }] },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] },
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two' }] }] },
          ],
        },
        { type: 'rule' },
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'line a' }, { type: 'hardBreak' }, { type: 'text', text: 'line b' }],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'last' }] },
      ],
    });
  });

  it.each(NASTY)('inserts a finding value as literal text wherever it lands: %j', (title) => {
    const template = '{{ finding.title }}\n# {{ finding.title }}\n- {{ finding.title }}\nText {{ finding.title }} end';
    const doc = render(template, { title });
    const expected = title.replace(/\uE000|\uE001/g, '\uFFFD');
    expect(textOf(doc)).toBe([expected, expected, expected, `Text ${expected} end`].join('\n'));
    // Exactly the template's four blocks, whatever the value holds.
    expect(doc.content.map((b) => b.type)).toEqual(['paragraph', 'heading', 'bulletList', 'paragraph']);
    const inline = new Set(
      typesOf(doc).filter((t) => !['doc', 'paragraph', 'heading', 'bulletList', 'listItem'].includes(t)),
    );
    for (const t of inline) expect(['text', 'hardBreak']).toContain(t);
    expect(JSON.stringify(doc)).not.toContain('"marks"');
  });

  it('keeps a value line break inside its block as a hard break', () => {
    const doc = render('- {{ finding.title }}', { title: 'a\r\n- b\n## c' });
    expect(doc.content).toEqual([
      {
        type: 'bulletList',
        content: [
          {
            type: 'listItem',
            content: [
              {
                type: 'paragraph',
                content: [
                  { type: 'text', text: 'a' },
                  { type: 'hardBreak' },
                  { type: 'text', text: '- b' },
                  { type: 'hardBreak' },
                  { type: 'text', text: '## c' },
                ],
              },
            ],
          },
        ],
      },
    ]);
  });

  it('links a value that is a whole http(s) URL, and nothing else', () => {
    const doc = render('See {{ finding.url }} or {{ finding.properties.other }}', {
      url: 'https://scanner.example/f/1?a=1&b=2',
      properties: { other: 'javascript:alert(1)' },
    });
    expect(doc.content).toEqual([
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'See ' },
          {
            type: 'text',
            text: 'https://scanner.example/f/1?a=1&b=2',
            marks: [{ type: 'link', attrs: { href: 'https://scanner.example/f/1?a=1&b=2' } }],
          },
          { type: 'text', text: ' or javascript:alert(1)' },
        ],
      },
    ]);
  });

  it('leaves out empty blocks and builds an empty document from nothing', () => {
    expect(buildAdf([])).toEqual({ type: 'doc', version: 1, content: [] });
    expect(render('# {{ finding.description }}\n- {{ finding.description }}\n\n', {}).content).toEqual([]);
  });

  it('measures a document as its JSON text', () => {
    const doc = buildAdf([{ kind: 'value', text: 'é"' }]);
    expect(adfLength(doc)).toBe(JSON.stringify(doc).length);
  });
});
