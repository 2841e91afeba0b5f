"""Outils de test partagés : faux exchanges au bord du réseau, fixtures pytest."""
