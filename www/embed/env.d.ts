// Vite's `?inline` imports: the file's text as a string.
declare module "*.css?inline" {
  const text: string;
  export default text;
}
