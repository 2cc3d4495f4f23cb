// Files that esbuild inlines as text (`with { type: 'text' }`): uPlot's script and stylesheet for
// the HTML preview (see ./assets.ts).
declare module 'uplot/dist/uPlot.iife.min.js' {
  const text: string;
  export default text;
}
declare module 'uplot/dist/uPlot.min.css' {
  const text: string;
  export default text;
}
