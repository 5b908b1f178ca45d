class OwnerScopedMixin:
    """The default for residents' data in the API: a user's queryset holds only their own rows
    (another user's id is a 404, never a 403 that confirms it exists), and what they create is theirs."""

    owner_field = "user"

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return queryset.none()
        return queryset.filter(**{self.owner_field: self.request.user})

    def perform_create(self, serializer):
        serializer.save(**{self.owner_field: self.request.user})
