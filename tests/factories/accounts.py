import factory

from accounts.models import User

__all__ = ["UserFactory"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Test"
    last_name = factory.LazyAttribute(lambda user: user.username.title())
    password = factory.django.Password("pass-for-tests")

    @factory.post_generation
    def secretariat_mechanisms(self, create, mechanisms, **kwargs):
        if create and mechanisms:
            self.secretariat_mechanisms.set(mechanisms)
