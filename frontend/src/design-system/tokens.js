// Jetons de design : les deux thèmes partagent les mêmes clés, exposées en variables CSS.
export const themes = {
  dark: {
    primary: '#00D4FF',
    success: '#00FF88',
    danger: '#FF0055',
    background: '#0A0A0A',
    surface: '#1A1A1A',
    surfaceAlt: '#111418',
    text: '#FFFFFF',
    textMuted: '#8A93A3',
    border: '#2A2F36',
    glow: 'rgba(0, 212, 255, 0.25)',
    codeNumber: '#FFB86C',
    codeAccent: '#C792EA',
  },
  light: {
    primary: '#0090B8',
    success: '#00A35C',
    danger: '#E0004C',
    background: '#F4F6F8',
    surface: '#FFFFFF',
    surfaceAlt: '#F9FAFB',
    text: '#0A0A0A',
    textMuted: '#5A6270',
    border: '#D5DAE1',
    glow: 'rgba(0, 144, 184, 0.18)',
    codeNumber: '#B35C00',
    codeAccent: '#7A3EB0',
  },
}

const DEFAULT_THEME = 'dark'

function cssVariableName(key) {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`
}

/** Applique un thème ('dark' | 'light' ; toute autre valeur donne dark) sur <html>. */
export function applyTheme(name) {
  const themeName = name in themes ? name : DEFAULT_THEME
  const root = document.documentElement
  for (const [key, value] of Object.entries(themes[themeName])) {
    root.style.setProperty(cssVariableName(key), value)
  }
  root.style.colorScheme = themeName
  root.dataset.theme = themeName
  return themeName
}
