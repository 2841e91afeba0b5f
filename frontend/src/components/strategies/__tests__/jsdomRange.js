// jsdom ne mesure pas le texte : CodeMirror demande des rectangles vides au lieu d'une exception journalisée.
Range.prototype.getClientRects ??= () => []
Range.prototype.getBoundingClientRect ??= () => new DOMRect()
