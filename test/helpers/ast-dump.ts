// A compact, indented dump of the AST with ranges, for parser goldens.
import type { Member, PaceFile, Value } from '../../grammar/src/ast.js';

export function dumpAst(file: PaceFile): string {
  const out: string[] = [];
  const r = (x: { range: { start: number; end: number } }) => `@${x.range.start}..${x.range.end}`;
  const value = (v: Value | undefined, ind: string): void => {
    if (!v) return void out.push(`${ind}<missing>`);
    switch (v.type) {
      case 'number': return void out.push(`${ind}number ${v.raw} (${v.unit} ${v.value}) ${r(v)}`);
      case 'string': return void out.push(`${ind}string ${JSON.stringify(v.value)} ${r(v)}`);
      case 'ref': return void out.push(`${ind}ref ${v.parts.map((p) => p.text).join('.')} ${r(v)}`);
      case 'bad-number': return void out.push(`${ind}bad-number ${v.raw} ${r(v)}`);
      case 'calendar': return void out.push(`${ind}calendar ${v.unit?.text ?? '<missing>'}${v.timeZone ? ` in ${v.timeZone.value}` : ''} ${r(v)}`);
      case 'list':
        out.push(`${ind}list ${r(v)}`);
        return v.items.forEach((i) => value(i, ind + '  '));
      case 'call':
        out.push(`${ind}call ${v.fn.text} ${r(v)}`);
        return v.args.forEach((i) => value(i, ind + '  '));
      case 'comparison':
        out.push(`${ind}comparison ${v.op} ${r(v)}`);
        return value(v.value, ind + '  ');
      case 'selector':
        out.push(`${ind}selector ${v.metric?.text ?? ''} ${r(v)}`);
        return v.matchers.forEach((m) => out.push(`${ind}  matcher ${m.label.text} ${m.op} ${m.value ? JSON.stringify(m.value.value) : '<missing>'} ${r(m)}`));
    }
  };
  const member = (m: Member, ind: string): void => {
    switch (m.type) {
      case 'block':
        out.push(`${ind}block ${m.keyword.text}${m.name ? ' ' + m.name.text : ''}${m.kind ? ' = ' + m.kind.text : ''}${m.closeBrace ? '' : ' (unclosed)'} ${r(m)}${m.doc !== undefined ? ` doc=${JSON.stringify(m.doc)}` : ''}`);
        return m.members.forEach((c) => member(c, ind + '  '));
      case 'attribute':
        out.push(`${ind}attribute ${m.name.text} ${m.op} ${r(m)}`);
        return value(m.value, ind + '  ');
      case 'alert-rule':
        out.push(`${ind}alert-rule ${m.severity.text} ${m.metric?.text ?? '<missing>'} ${m.op ?? '<missing>'} ${r(m)}`);
        for (const v of [m.factor, m.longWindow, m.shortWindow]) value(v, ind + '  ');
        if (m.forDuration) value(m.forDuration, ind + '  for ');
        return;
      case 'credit':
        out.push(`${ind}credit ${r(m)}`);
        value(m.credit, ind + '  ');
        return value(m.below, ind + '  below ');
    }
  };
  for (const m of file.members) member(m, '');
  for (const c of file.comments) out.push(`comment ${c.kind} ${JSON.stringify(c.text)} ${r(c)}`);
  return out.join('\n') + '\n';
}
