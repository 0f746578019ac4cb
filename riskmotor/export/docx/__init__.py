"""Word documents: the shared document kit, the tjänsteutlåtande and the kvalitetsberättelse."""
