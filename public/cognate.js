// Cognate sign-in widget loader: `<script type="module" src="…/widget/cognate.js">` loads the
// WebAssembly once, registers `<cognate-sign-in>` and exports `mount(element, config)`.
import init, { mount } from './cognate-widget.js';

await init({ module_or_path: new URL('./cognate-widget_bg.wasm', import.meta.url) });

export { mount };
