"""Verrou d'une activation (apps.core.advisory_lock), entre les processus (serveur, moteur) : sa décision (relire
qu'elle tourne, ordonner) et « Suspendre », « Stop », le changement de version ne se croisent jamais. « Stop » le
prend : il passe avant l'ordre, ou après, et voit alors l'ordre et la position.

L'ordre lui-même est sérialisé par paire, toutes sources confondues, dans le service d'ordres : verrou pris ensuite,
toujours dans cet ordre (activation, puis paire).
"""

from apps.core.advisory_lock import advisory_lock

ACTIVATIONS = -1  # espace de clés des activations, disjoint de celui des paires (identifiants de broker positifs)


def activation_lock(activation_id: int):
    return advisory_lock(ACTIVATIONS, activation_id)
